namespace Verify.Server.Verification;

internal enum DeliveryState
{
    Queued,
    Sent,
    Delivered,
    Undelivered,
    Failed,
}
