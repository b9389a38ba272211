using System.Text;
using Verify.Engine.Verification;

namespace Verify.Server.Tests.Properties;

/// <summary>
/// What one operation showed a caller, in a form both the model and the real engine produce, so that the two
/// are compared with one <c>==</c>. <see cref="Verification"/> is the verification's serial (the order in which
/// the sequence first met it), not its random id; <see cref="Sms"/> is how many messages the sender was handed.
/// </summary>
internal sealed record Observation(ObservedKind Kind)
{
    public int? Verification { get; init; }

    public string? Subject { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    public bool? Valid { get; init; }

    public VerificationState? Status { get; init; }

    public int? AttemptsRemaining { get; init; }

    public int? SendCount { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public DateTimeOffset? NextSendAt { get; init; }

    /// <summary>0 once the lockout the record remembers has ended: its count ended with it.</summary>
    public int? FailuresInARow { get; init; }

    /// <summary>Only a lockout still running: one that has ended tells a caller nothing, however the record remembers it.</summary>
    public DateTimeOffset? LockedOutUntil { get; init; }

    public int? CodeLength { get; init; }

    public int Sms { get; init; }

    public string? Detail { get; init; }

    public static Observation Throttled(string subject, TimeSpan retryAfter) => new(ObservedKind.Throttled) { Subject = subject, RetryAfter = retryAfter };

    private bool PrintMembers(StringBuilder builder)
    {
        // Only what is set: a step of a failing sequence fits on one line.
        builder.Append(Kind);
        Append(builder, "v", Verification);
        Append(builder, "subject", Subject);
        Append(builder, "retry", RetryAfter);
        Append(builder, "valid", Valid);
        Append(builder, "status", Status);
        Append(builder, "attemptsLeft", AttemptsRemaining);
        Append(builder, "sends", SendCount);
        Append(builder, "expires", ExpiresAt?.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
        Append(builder, "nextSend", NextSendAt?.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
        Append(builder, "inARow", FailuresInARow);
        Append(builder, "lockedUntil", LockedOutUntil?.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
        Append(builder, "length", CodeLength);
        Append(builder, "sms", Sms);
        Append(builder, "detail", Detail);
        return true;
    }

    private static void Append(StringBuilder builder, string name, object? value)
    {
        if (value is not null)
        {
            builder.Append(", ").Append(name).Append('=').Append(value);
        }
    }
}
