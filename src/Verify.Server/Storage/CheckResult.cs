namespace Verify.Server.Storage;

internal abstract record CheckResult
{
    private CheckResult()
    {
    }

    /// <summary>No live verification with that id (never, expired, approved, canceled): one answer for all.</summary>
    public sealed record NotFound : CheckResult
    {
        public static readonly NotFound Instance = new();
    }

    /// <summary>The typed code has the wrong length or characters for this verification; nothing was counted.</summary>
    public sealed record Malformed(int ExpectedLength) : CheckResult;

    /// <summary>The check ran: <paramref name="Record"/> is the state after it (approved, still pending, locked, or burned).</summary>
    public sealed record Checked(bool Valid, VerificationRecord Record) : CheckResult;
}
