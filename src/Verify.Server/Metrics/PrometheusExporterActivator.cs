namespace Verify.Server.Metrics;

/// <summary>
/// Builds the exporter when the host starts: a singleton is otherwise built on first use, and a meter
/// listener misses whatever was measured before it existed.
/// </summary>
internal sealed class PrometheusExporterActivator(PrometheusExporter exporter) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(exporter);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
