using Microsoft.Extensions.Options;
using Verify.Grpc.Health;
using Verify.Server.Storage;
using ServingStatus = Verify.Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Verify.Server.Health;

/// <summary>
/// Probes the store and drives the gRPC health status (the server, "", and the verification service)
/// so load balancers stop sending calls to a replica whose store is gone.
/// </summary>
internal sealed partial class StoreHealthMonitor(
    IVerificationStore store,
    GrpcHealthStatus health,
    IOptions<StoreHealthOptions> options,
    TimeProvider timeProvider,
    ILogger<StoreHealthMonitor> logger) : BackgroundService
{
    public const string VerificationServiceName = "verify.v1.VerificationService";

    private bool? _lastReachable;

    /// <summary>Asks the store now, bounded by the probe timeout.</summary>
    public async Task<bool> ProbeAsync(CancellationToken cancellationToken)
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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ProbeInterval, timeProvider);
        do
        {
            var reachable = await ProbeAsync(stoppingToken);
            var status = reachable ? ServingStatus.Serving : ServingStatus.NotServing;
            health.SetStatus(GrpcHealthStatus.Server, status);
            health.SetStatus(VerificationServiceName, status);
            if (_lastReachable != reachable)
            {
                Log.StoreReachability(logger, reachable);
                _lastReachable = reachable;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private static partial class Log
    {
        [LoggerMessage(400, LogLevel.Information, "Verification store reachable: {Reachable}.")]
        public static partial void StoreReachability(ILogger logger, bool reachable);
    }
}
