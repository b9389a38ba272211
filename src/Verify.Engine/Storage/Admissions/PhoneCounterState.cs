namespace Verify.Engine.Storage;

/// <summary>A number's counters for one purpose, as the store holds them.</summary>
internal sealed record PhoneCounterState(
    IReadOnlyList<DateTimeOffset> Sends, DateTimeOffset? CooldownUntil, int FailuresInARow, DateTimeOffset? LockedOutUntil)
{
    public static readonly PhoneCounterState Empty = new([], null, 0, null);
}
