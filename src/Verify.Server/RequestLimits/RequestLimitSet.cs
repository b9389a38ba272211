using System.Threading.RateLimiting;

namespace Verify.Server.RequestLimits;

/// <summary>
/// The limiters of one version of <see cref="RequestLimitSettings"/>: a token bucket per caller and method,
/// one per caller, and a concurrency limit per caller, made on a caller's first call. Partitions are only
/// ever keyed by authenticated callers and known methods, so their number is bounded by the configuration,
/// whatever a client sends; idle ones are dropped by the partitioned limiters after a few seconds.
/// </summary>
internal sealed class RequestLimitSet : IDisposable
{
    private readonly PartitionedRateLimiter<(string Caller, string Method)>? _methods;
    private readonly PartitionedRateLimiter<string>? _callers;
    private readonly PartitionedRateLimiter<string>? _inFlight;

    public RequestLimitSet(RequestLimitSettings settings)
    {
        Settings = settings;
        if (!settings.Enabled)
        {
            return;
        }

        // The factories are made once: a lambda capturing per call would allocate on every call.
        Func<(string Caller, string Method), RateLimiter> methodBucket = key => new TokenBucketRateLimiter(settings.For(key.Caller).PerMethod[key.Method]);
        Func<string, RateLimiter> callerBucket = caller => new TokenBucketRateLimiter(settings.For(caller).PerCaller);
        Func<string, RateLimiter> inFlight = caller => new ConcurrencyLimiter(settings.For(caller).Concurrency);
        _methods = PartitionedRateLimiter.Create<(string Caller, string Method), (string, string)>(key =>
            settings.For(key.Caller).PerMethod.ContainsKey(key.Method) ? RateLimitPartition.Get(key, methodBucket) : RateLimitPartition.GetNoLimiter(key));
        _callers = PartitionedRateLimiter.Create<string, string>(caller => RateLimitPartition.Get(caller, callerBucket));
        _inFlight = PartitionedRateLimiter.Create<string, string>(caller => RateLimitPartition.Get(caller, inFlight));
    }

    public RequestLimitSettings Settings { get; }

    /// <summary>
    /// Takes a token from the method's bucket, then from the caller's, then a slot in flight; null if all
    /// three were had, with the slot to release when the call ends (<paramref name="inFlight"/>, null when
    /// limits are off). The method's bucket comes first so that a flood of one method refused there does
    /// not also drain the caller's bucket, which the caller's other methods draw on.
    /// </summary>
    public RequestRefusal? TryAcquire(string caller, string method, out RateLimitLease? inFlight)
    {
        inFlight = null;
        if (_methods is null || _callers is null || _inFlight is null)
        {
            return null;
        }

        using (var lease = _methods.AttemptAcquire((caller, method)))
        {
            if (!lease.IsAcquired)
            {
                return Refused(RequestRefusal.Method, lease);
            }
        }

        using (var lease = _callers.AttemptAcquire(caller))
        {
            if (!lease.IsAcquired)
            {
                return Refused(RequestRefusal.Caller, lease);
            }
        }

        var slot = _inFlight.AttemptAcquire(caller);
        if (!slot.IsAcquired)
        {
            slot.Dispose();
            return RequestRefusal.InFlight;
        }

        inFlight = slot;
        return null;
    }

    public void Dispose()
    {
        _methods?.Dispose();
        _callers?.Dispose();
        _inFlight?.Dispose();
    }

    private static RequestRefusal Refused(string limit, RateLimitLease lease) =>
        new(limit, lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1));
}
