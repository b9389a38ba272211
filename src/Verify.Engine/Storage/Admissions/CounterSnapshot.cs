namespace Verify.Engine.Storage;

/// <summary>A counter across purposes as the store holds it: send times, approval times, pumping block.</summary>
internal sealed record CounterSnapshot(IReadOnlyList<DateTimeOffset> Sends, IReadOnlyList<DateTimeOffset> Approvals, DateTimeOffset? BlockedUntil)
{
    public static readonly CounterSnapshot Empty = new([], [], null);
}
