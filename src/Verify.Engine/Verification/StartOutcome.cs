using Verify.Delivery.Phones;

namespace Verify.Engine.Verification;

internal abstract record StartOutcome
{
    private StartOutcome()
    {
    }

    /// <summary>A code went out (or, when <paramref name="Replayed"/>, went out earlier for the same idempotency key).</summary>
    public sealed record Started(VerificationRecord Record, bool Replayed) : StartOutcome;

    public sealed record Throttled(string Subject, string Description, TimeSpan RetryAfter) : StartOutcome;

    /// <summary>The destination is not allowed for this purpose (its country); nothing was counted or sent.</summary>
    public sealed record Refused(string Reason) : StartOutcome;

    /// <summary>The number's line type is not allowed for this purpose and channel; nothing was counted or sent.</summary>
    public sealed record LineTypeNotAllowed(string Reason, PhoneLineType LineType) : StartOutcome;

    /// <summary>No provider is configured for the requested channel, purpose and country; nothing was counted or sent.</summary>
    public sealed record ChannelUnavailable(string Reason) : StartOutcome;

    /// <summary>The channel refused or failed; the send was refunded, nothing counts against the user.</summary>
    public sealed record SendFailed(string Reason) : StartOutcome;
}
