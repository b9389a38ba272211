using Verify.Engine.Verification;

namespace Verify.Server.Tests.Properties;

/// <summary>One verification in the model: what a caller can learn of it through Verify's API.</summary>
internal sealed class ModelVerification
{
    public required int Serial { get; init; }

    public required ModelSlotKey Slot { get; init; }

    public required int Owner { get; init; }

    public VerificationState Status { get; set; } = VerificationState.Pending;

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset NextSendAt { get; set; }

    public required int MaxAttempts { get; init; }

    public int FailedAttempts { get; set; }

    public int SendCount { get; set; }

    /// <summary>The code of the SMS that went out for the current send, learned from the sender as a user reads it; null until then.</summary>
    public string? Code { get; set; }

    /// <summary>0 for none, else which of the test's transactions the current code is bound to.</summary>
    public int Transaction { get; set; }

    /// <summary>The end of a lockout that began while this verification lived.</summary>
    public DateTimeOffset? LockedOutUntil { get; set; }

    public int AttemptsRemaining => Math.Max(0, MaxAttempts - FailedAttempts);
}
