namespace Verify.Delivery;

/// <summary>A channel's name where it leaves the process (webhook JSON, spans, messages), as routes configure it.</summary>
internal static class DeliveryChannelNames
{
    public static string Name(this DeliveryChannel channel) => channel == DeliveryChannel.Voice ? "voice" : "sms";
}
