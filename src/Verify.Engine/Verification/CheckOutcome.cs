namespace Verify.Engine.Verification;

internal abstract record CheckOutcome
{
    private CheckOutcome()
    {
    }

    /// <summary>No live verification with that id (never, expired, approved, canceled): one answer for all.</summary>
    public sealed record NotFound : CheckOutcome
    {
        public static readonly NotFound Instance = new();
    }

    /// <summary>The typed code has the wrong length or characters for this verification; nothing was counted.</summary>
    public sealed record Malformed(int ExpectedLength) : CheckOutcome;

    /// <summary>The number is locked out for this purpose (too many wrong codes in a row); nothing was counted.</summary>
    public sealed record Throttled(string Subject, string Description, TimeSpan RetryAfter) : CheckOutcome;

    /// <summary>
    /// The verification's code was hashed by the release before this one, which bound the id into the
    /// HMAC: nothing was done; check again by <paramref name="Id"/> with <see cref="CheckCommand.LegacyHashes"/>.
    /// </summary>
    public sealed record Legacy(string Id) : CheckOutcome;

    /// <summary>The check ran: <paramref name="Record"/> is the state after it (approved, still pending, locked, or burned).</summary>
    public sealed record Checked(bool Valid, VerificationRecord Record) : CheckOutcome
    {
        /// <summary>False when the verification had ended before (out of attempts, burned): the code was not compared, so it was no guess.</summary>
        public bool Compared { get; init; } = true;
    }
}
