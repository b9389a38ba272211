namespace Verify.Server.Tests.Properties;

/// <summary>
/// One caller's part of a number and purpose (README, <c>Verify:Redis:StatePerCaller</c>; docs/limits.md,
/// <c>Lockout:MaxFailures</c>): another caller's start neither resends nor replaces its verification, its
/// cooldown is its own, and another caller's wrong codes lock only that caller's use of the number.
/// </summary>
internal sealed class ModelCallerSlot
{
    /// <summary>The verification a check by number of this caller leads to: pending, out of attempts or burned; it may have expired since.</summary>
    public ModelVerification? Live { get; set; }

    public DateTimeOffset CooldownUntil { get; set; } = DateTimeOffset.MinValue;

    /// <summary>Wrong codes in a row over all this caller's verifications of the number and purpose; an approval resets it, and so does the end of a lockout.</summary>
    public int FailuresInARow { get; set; }

    public DateTimeOffset LockedUntil { get; set; } = DateTimeOffset.MinValue;

    /// <summary>A lockout that has ended ends its count too: one wrong code after it does not lock again at once.</summary>
    public void EndLockoutIfOver(DateTimeOffset now)
    {
        if (LockedUntil != DateTimeOffset.MinValue && LockedUntil <= now)
        {
            FailuresInARow = 0;
            LockedUntil = DateTimeOffset.MinValue;
        }
    }
}
