namespace Verify.Delivery;

internal enum DeliveryState
{
    Queued,
    Sent,
    Delivered,
    Undelivered,
    Failed,
}
