using StackExchange.Redis;

namespace Verify.Engine.Storage.Redis;

/// <summary>The scripts of a provider's receipt: the hand-off on its own slot, the delivery status on the record's.</summary>
internal static partial class RedisScripts
{
    /// <summary>
    /// A handoff (<see cref="HandoffParameters"/>): false when the message is unknown, else { id, send
    /// id (hex), sent at (ms), region }.
    /// </summary>
    public static readonly RedisScript ReadHandoff = RedisScript.Load<HandoffParameters>("read-handoff");

    public sealed record HandoffParameters(RedisKey Handoff);

    /// <summary>
    /// Marks that a handoff's final receipt came (<see cref="HandoffParameters"/>); returns 1 when this
    /// call marked it (the message's first final word, which metrics count), 0 when it was marked before
    /// or is gone. Run after the receipt was applied, so a failed apply that the provider retries still
    /// counts once.
    /// </summary>
    public static readonly RedisScript MarkHandoffFinal = RedisScript.Load<HandoffParameters>("mark-handoff-final");

    /// <summary>
    /// A receipt's delivery state (<see cref="ApplyDeliveryParameters"/>). Moves the status forward only
    /// (queued 0, sent 1, then one final word 2 to 4) and only for the record's current send. Returns 1
    /// when it moved.
    /// </summary>
    public static readonly RedisScript ApplyDelivery = RedisScript.Load<ApplyDeliveryParameters>("apply-delivery");

    /// <param name="SendId">The send the receipt is for (8 bytes).</param>
    /// <param name="State">The new delivery state (enum number).</param>
    public sealed record ApplyDeliveryParameters(RedisKey Record, long Now, byte[] SendId, int State);
}
