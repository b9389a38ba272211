using Verify.Engine.Verification;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Verify.Engine.Storage;

namespace Verify.Server.Health;

/// <summary>
/// Whether the store answers, bounded by the probe timeout. It drives the gRPC health service (the
/// server, "", and the verification service, as the publisher last saw it every probe interval) and
/// /readyz (asked at each request), so load balancers stop sending calls to a replica whose store is gone.
/// </summary>
internal sealed partial class StoreHealthCheck(
    IVerificationStore store,
    IOptions<StoreHealthOptions> options,
    ILogger<StoreHealthCheck> logger) : IHealthCheck
{
    public const string Name = "store";

    private const int Unknown = -1;

    private int _lastReachable = Unknown;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var reachable = await ProbeAsync(cancellationToken);
        if (Interlocked.Exchange(ref _lastReachable, reachable ? 1 : 0) != (reachable ? 1 : 0))
        {
            Log.StoreReachability(logger, reachable);
        }

        return reachable ? HealthCheckResult.Healthy("store reachable") : HealthCheckResult.Unhealthy("store unreachable");
    }

    private async Task<bool> ProbeAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.ProbeTimeout);
        try
        {
            return await store.PingAsync(timeout.Token);
        }
        catch (Exception exception) when (exception is OperationCanceledException or StoreUnavailableException)
        {
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(400, LogLevel.Information, "Verification store reachable: {Reachable}.")]
        public static partial void StoreReachability(ILogger logger, bool reachable);
    }
}
