using System.Threading.RateLimiting;
using Verify.Delivery.Configuration;

namespace Verify.Server.RequestLimits;

/// <summary>
/// The request limits in force (<c>Verify:RequestLimits</c>), reloaded like the callers and policies
/// (<see cref="ReloadingSnapshot{T}"/>): a valid change applies at the next call, an invalid one is refused
/// with a log line naming the key and the last good limits stay. An accepted change of the limits starts
/// new limiters: buckets start full and calls already in flight are not counted against the new
/// concurrency limit. A reload that leaves them as they were (any other key changed) keeps the limiters.
/// </summary>
internal sealed class RequestLimiter : IDisposable
{
    /// <summary>The section's name in reload logs and the <c>verify.config.reloads</c> metric.</summary>
    public const string Section = "request_limits";

    private readonly ReloadingSnapshot<RequestLimitSet> _snapshot;
    private RequestLimitSet? _inForce;

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
        _inForce?.Dispose();
    }

    /// <summary>
    /// Every configuration change reloads every section, a secret file's or a policy's too: limits that read
    /// the same keep their limiters, so such a change hands no caller a fresh burst.
    /// </summary>
    private (RequestLimitSet? Limits, List<string> Errors) Build(IConfiguration configuration)
    {
        var (settings, errors) = RequestLimitSettings.Build(configuration);
        if (settings is null)
        {
            return (null, errors);
        }

        var current = Volatile.Read(ref _inForce);
        return (current is not null && current.Settings.Fingerprint() == settings.Fingerprint() ? current : new RequestLimitSet(settings), errors);
    }

    // A slot taken from the old limiters and released after their disposal is simply dropped by them.
    private void DisposeReplaced(string section, bool accepted)
    {
        if (accepted && Interlocked.Exchange(ref _inForce, _snapshot.Current) is { } replaced && !ReferenceEquals(replaced, _snapshot.Current))
        {
            replaced.Dispose();
        }
    }
}
