namespace Verify.Delivery;

/// <summary>How a code reaches the user: a text message, or a call that speaks it.</summary>
internal enum DeliveryChannel
{
    Sms,
    Voice,
}
