using Verify.Delivery;
using Verify.Engine.Codes;
using Verify.Engine.Verification;
using Verify.Engine.Storage;

namespace Verify.Engine.Verification;

/// <summary>
/// A verification as the store keeps it. Immutable: every change is a new record, swapped atomically.
/// The plaintext code is never here.
/// </summary>
internal sealed record VerificationRecord
{
    public required string Id { get; init; }

    /// <summary>E.164.</summary>
    public required string PhoneNumber { get; init; }

    public required string Purpose { get; init; }

    public required string Locale { get; init; }

    public required VerificationState Status { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the record goes away: the current code's expiry.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    public required DateTimeOffset NextSendAt { get; init; }

    public required int MaxAttempts { get; init; }

    /// <summary>Wrong codes so far, across resends (NIST SP 800-63B-4 3.1.3.2).</summary>
    public required int FailedAttempts { get; init; }

    public required int SendCount { get; init; }

    public required DeliveryState DeliveryStatus { get; init; }

    /// <summary>How the current code went out: a text, or a call.</summary>
    public Delivery.DeliveryChannel Channel { get; init; } = Delivery.DeliveryChannel.Sms;

    public required StoredCode Code { get; init; }

    /// <summary>The code before the last resend, when the policy keeps it working.</summary>
    public StoredCode? PreviousCode { get; init; }

    public required int CodeLength { get; init; }

    public required CodeAlphabet Alphabet { get; init; }

    /// <summary>The idempotency key of the start that sent the current code.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>The <see cref="Security.Caller.OwnerTag"/> of the caller that started it; "" when none. Only it reaches the verification.</summary>
    public string Owner { get; init; } = string.Empty;

    /// <summary>The send that produced the current code; a refund or a delivery update names it.</summary>
    public required string LastSendId { get; init; }

    /// <summary>
    /// The number's wrong codes in a row for the purpose, this verification's included, kept here while it lives so a
    /// check touches one key; null when the number's state alone keeps them (a record of the release before, or one
    /// written with <c>Verify:Redis:WrongCodesInRecord</c> false during a rolling upgrade).
    /// </summary>
    public int? FailuresInARow { get; init; }

    /// <summary>When the lockout of the number and purpose ends, if one began while this verification lived (or before it, for a safe-list number).</summary>
    public DateTimeOffset? LockedOutUntil { get; init; }

    public int AttemptsRemaining => Math.Max(0, MaxAttempts - FailedAttempts);
}
