namespace Verify.Server.RequestLimits;

/// <summary>
/// <c>Verify:RequestLimits</c>: how many calls each caller may make, per replica, checked right after
/// authentication and before anything else is done. The defaults are far above what one service's real
/// traffic needs of one replica, and far below what one replica serves (docs/performance.md: some
/// 10,000 checks and 4,000 starts a second), so one caller's flood leaves room for the others.
/// </summary>
internal sealed class RequestLimitsOptions
{
    public const string SectionName = "Verify:RequestLimits";

    /// <summary>Whether calls are limited at all. Defaults to true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Every call of a caller: 1,000 a second after a burst of 2,000.</summary>
    public RequestBucketOptions PerCaller { get; set; } = new() { TokenLimit = 2000, TokensPerPeriod = 1000 };

    /// <summary>
    /// By method short name, on top of <see cref="PerCaller"/>. A start sends a message that costs money, so it
    /// has its own bucket (100 a second after 200); admin calls scan or rewrite counters and are made by
    /// people and scripts, 10 a second after 20. Checks, gets and cancels have only the caller's bucket.
    /// </summary>
    public Dictionary<string, RequestBucketOptions> PerMethod { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["StartVerification"] = new() { TokenLimit = 200, TokensPerPeriod = 100 },
        ["GetCounters"] = new() { TokenLimit = 20, TokensPerPeriod = 10 },
        ["ResetCounters"] = new() { TokenLimit = 20, TokensPerPeriod = 10 },
        ["ListBlocked"] = new() { TokenLimit = 20, TokensPerPeriod = 10 },
        ["Unblock"] = new() { TokenLimit = 20, TokensPerPeriod = 10 },
        ["ErasePersonalData"] = new() { TokenLimit = 20, TokensPerPeriod = 10 },
    };

    /// <summary>
    /// A caller's calls in flight at once: 256. A start waits on the SMS provider, so a slow provider piles
    /// starts up (100 a second for 2.5 s); past this they are refused instead of holding memory and sockets.
    /// </summary>
    public int ConcurrencyLimit { get; set; } = 256;

    /// <summary>
    /// Per caller name: any of <see cref="PerCaller"/>, <see cref="PerMethod"/> entries and <see cref="ConcurrencyLimit"/>,
    /// over the defaults above (a key left out keeps its default).
    /// </summary>
    public Dictionary<string, CallerRequestLimitsOptions> Callers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The defaults as one caller's limits, for a caller without overrides and as the base of one with.</summary>
    public CallerRequestLimitsOptions Defaults() => new CallerRequestLimitsOptions
    {
        PerCaller = PerCaller,
        PerMethod = PerMethod,
        ConcurrencyLimit = ConcurrencyLimit,
    }.Clone();
}
