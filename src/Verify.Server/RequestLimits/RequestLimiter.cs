using System.Threading.RateLimiting;
using Verify.Delivery.Configuration;

namespace Verify.Server.RequestLimits;

/// <summary>
/// The request limits in force (<c>Verify:RequestLimits</c>), reloaded like the callers and policies
/// (<see cref="ReloadingSnapshot{T}"/>): a valid change applies at the next call, an invalid one is refused
/// with a log line naming the key and the last good limits stay. An accepted change starts new limiters:
/// buckets start full and calls already in flight are not counted against the new concurrency limit.
/// </summary>
internal sealed class RequestLimiter : IDisposable
{
    /// <summary>The section's name in reload logs and the <c>verify.config.reloads</c> metric.</summary>
    public const string Section = "request_limits";

    private readonly ReloadingSnapshot<RequestLimitSet> _snapshot;
    private RequestLimitSet _inForce;

    public RequestLimiter(IConfiguration configuration, ILogger<RequestLimiter> logger)
    {
        _snapshot = new(Section, configuration, Build, set => set.Settings.Describe(), logger);
        _inForce = _snapshot.Current;
        _snapshot.Reloaded += DisposeReplaced;
    }

    /// <summary>Raised after each reload: the section name, and whether the new limits were accepted.</summary>
    public event Action<string, bool>? Reloaded
    {
        add => _snapshot.Reloaded += value;
        remove => _snapshot.Reloaded -= value;
    }

    public RequestLimitSettings Current => _snapshot.Current.Settings;

    /// <inheritdoc cref="RequestLimitSet.TryAcquire"/>
    public RequestRefusal? TryAcquire(string caller, string method, out RateLimitLease? inFlight)
    {
        while (true)
        {
            var limits = _snapshot.Current;
            try
            {
                return limits.TryAcquire(caller, method, out inFlight);
            }
            catch (ObjectDisposedException) when (!ReferenceEquals(limits, _snapshot.Current))
            {
                // A reload replaced and disposed these limiters between reading and using them: use the new ones.
            }
        }
    }

    public void Dispose()
    {
        _snapshot.Dispose();
        _inForce.Dispose();
    }

    private static (RequestLimitSet? Limits, List<string> Errors) Build(IConfiguration configuration)
    {
        var (settings, errors) = RequestLimitSettings.Build(configuration);
        return (settings is null ? null : new RequestLimitSet(settings), errors);
    }

    // A slot taken from the old limiters and released after their disposal is simply dropped by them.
    private void DisposeReplaced(string section, bool accepted)
    {
        if (accepted && Interlocked.Exchange(ref _inForce, _snapshot.Current) is var replaced && !ReferenceEquals(replaced, _inForce))
        {
            replaced.Dispose();
        }
    }
}
