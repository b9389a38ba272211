using Verify.Delivery;

namespace Verify.Engine.Verification;

/// <summary>
/// How a delivery status may move: forward only (queued, sent, then one final word), so a late or
/// repeated receipt never takes a delivered message back to sent. The first final word stands.
/// </summary>
internal static class DeliveryProgress
{
    public static bool IsFinal(DeliveryState state) => state is DeliveryState.Delivered or DeliveryState.Undelivered or DeliveryState.Failed;

    public static bool CanMove(DeliveryState from, DeliveryState to) => !IsFinal(from) && Rank(to) > Rank(from);

    private static int Rank(DeliveryState state) => state switch
    {
        DeliveryState.Queued => 0,
        DeliveryState.Sent => 1,
        _ => 2,
    };
}
