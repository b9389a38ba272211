namespace Verify.Engine.Configuration;

/// <summary>
/// Wrong codes in a row across verifications of one number and purpose (a new verification does not
/// reset the count; an approval does) before starts and checks for it are refused for <see cref="Duration"/>.
/// </summary>
internal sealed class LockoutOptions
{
    /// <summary>1 to 100 (NIST SP 800-63B-4 §3.2.2: at most 100). Defaults to 10.</summary>
    public int MaxFailures { get; set; } = 10;

    /// <summary>1 second to 1 day. Defaults to 15 minutes.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);
}
