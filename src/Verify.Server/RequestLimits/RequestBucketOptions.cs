using System.Threading.RateLimiting;

namespace Verify.Server.RequestLimits;

/// <summary>
/// A token bucket of <c>Verify:RequestLimits</c>: it holds up to <see cref="TokenLimit"/> calls, each call
/// takes one, and <see cref="TokensPerPeriod"/> come back every <see cref="ReplenishmentPeriod"/>. So a caller
/// may burst to the limit, then keeps to TokensPerPeriod / ReplenishmentPeriod, on each replica.
/// </summary>
internal sealed class RequestBucketOptions
{
    /// <summary>The most calls in a burst. No default for a bucket of its own: 1 to 1,000,000.</summary>
    public int TokenLimit { get; set; }

    /// <summary>Calls added back each period. No default for a bucket of its own: 1 to TokenLimit.</summary>
    public int TokensPerPeriod { get; set; }

    /// <summary>Defaults to 1 s: 100 ms (the limiter refills every 100 ms) to 1 h.</summary>
    public TimeSpan ReplenishmentPeriod { get; set; } = TimeSpan.FromSeconds(1);

    public RequestBucketOptions Clone() => new() { TokenLimit = TokenLimit, TokensPerPeriod = TokensPerPeriod, ReplenishmentPeriod = ReplenishmentPeriod };

    /// <summary>
    /// No queue: a call over the limit is refused at once (a queued call would hold a connection slot and
    /// the caller's deadline while doing nothing). No timer per bucket either: the partitioned limiter
    /// holding the bucket refills every bucket it holds on its own 100 ms tick.
    /// </summary>
    public TokenBucketRateLimiterOptions ToLimiterOptions() => new()
    {
        TokenLimit = TokenLimit,
        TokensPerPeriod = TokensPerPeriod,
        ReplenishmentPeriod = ReplenishmentPeriod,
        QueueLimit = 0,
        AutoReplenishment = false,
    };

    /// <summary>Exact (the period to the tick): two buckets that read the same are the same.</summary>
    public override string ToString() => $"{TokensPerPeriod} per {ReplenishmentPeriod:c} after {TokenLimit}";
}
