using System.Collections.Frozen;
using System.Threading.RateLimiting;

namespace Verify.Server.RequestLimits;

/// <summary>One caller's request limits, validated and ready to make limiters from.</summary>
internal sealed record CallerRequestLimits(
    TokenBucketRateLimiterOptions PerCaller,
    FrozenDictionary<string, TokenBucketRateLimiterOptions> PerMethod,
    ConcurrencyLimiterOptions Concurrency,
    string Summary)
{
    public static CallerRequestLimits From(CallerRequestLimitsOptions options) => new(
        options.PerCaller.ToLimiterOptions(),
        // Keys as configured, found whatever their case, as configuration keys are.
        options.PerMethod.ToFrozenDictionary(entry => entry.Key, entry => entry.Value.ToLimiterOptions(), StringComparer.OrdinalIgnoreCase),
        // No queue, as for the buckets: the call past the limit is refused at once.
        new ConcurrencyLimiterOptions { PermitLimit = options.ConcurrencyLimit, QueueLimit = 0 },
        $"{options.PerCaller}, {options.ConcurrencyLimit} in flight" +
        string.Concat(options.PerMethod.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $", {e.Key} {e.Value}")));
}
