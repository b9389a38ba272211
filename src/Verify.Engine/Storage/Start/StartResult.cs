using Verify.Engine.Verification;

namespace Verify.Engine.Storage;

/// <summary>What a start did: stored a code to send, replayed an earlier answer, or refused.</summary>
internal abstract record StartResult
{
    private StartResult()
    {
    }

    /// <summary>The code is stored and counted; the caller sends it, then marks it sent or refunds it.</summary>
    public sealed record Stored(VerificationRecord Record, VerificationRecord? Previous, DateTimeOffset? PreviousCooldownUntil) : StartResult;

    /// <summary>The same idempotency key started this verification already: nothing new is sent.</summary>
    public sealed record Replayed(VerificationRecord Record) : StartResult;

    /// <summary>A limit refused the start; nothing was counted. <paramref name="Subject"/> is stable, e.g. "phone:1h".</summary>
    public sealed record Throttled(string Subject, string Description, TimeSpan RetryAfter) : StartResult
    {
        /// <summary>
        /// The pumping blocks this start set (rather than met), as subjects such as "prefix:pumping":
        /// worth an event of their own, whichever limit the refusal names.
        /// </summary>
        public IReadOnlyList<string> NewBlocks { get; init; } = [];
    }
}
