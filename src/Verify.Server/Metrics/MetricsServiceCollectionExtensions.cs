using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Routing;
using OpenTelemetry.Metrics;
using Verify.Delivery;
using Verify.Engine.Metrics;

namespace Verify.Server.Metrics;

/// <summary>Verify's metrics and their Prometheus endpoint, served by OpenTelemetry's Prometheus exporter.</summary>
internal static class MetricsServiceCollectionExtensions
{
    /// <summary>Default path of the scrape endpoint: <c>/metrics</c>.</summary>
    public const string DefaultPath = "/metrics";

    /// <summary>The runtime's own meter (.NET 9+), e.g. <c>dotnet.gc.heap.total_allocated</c>: <c>dotnet_gc_heap_total_allocated_bytes_total</c>.</summary>
    public const string RuntimeMeterName = "System.Runtime";

    /// <summary>
    /// Registers <see cref="VerifyMetrics"/>, <see cref="DeliveryMetrics"/> and an OpenTelemetry meter provider that
    /// exports the <see cref="VerifyMetrics.MeterName"/> meter and .NET's built-in <see cref="RuntimeMeterName"/> meter
    /// (GC, allocations, thread pool, exceptions: <c>dotnet_*</c>) to Prometheus. The provider starts with the host.
    /// Safe to call twice.
    /// </summary>
    public static IServiceCollection AddVerifyMetrics(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(VerifyMetrics)))
        {
            return services;
        }

        services.AddMetrics();
        services.AddSingleton<VerifyMetrics>();
        services.AddSingleton<DeliveryMetrics>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(VerifyMetrics.MeterName, RuntimeMeterName)
            .AddPrometheusExporter(prometheus =>
            {
                // Every scrape sees what was counted up to it: the default 300 ms cache would show a counter
                // a test or an operator just moved at its old value.
                prometheus.ScrapeResponseCacheDurationMilliseconds = 0;

                // Each series' name says its meter (verify_* or dotnet_*), so an otel_scope_name label on every series
                // would say nothing and change every label set that dashboards, alerts and the test suites match exactly.
                prometheus.ScopeInfoEnabled = false;
            }));
        return services;
    }

    /// <summary>
    /// Maps <c>GET</c> <paramref name="pattern"/> (defaults to <see cref="DefaultPath"/>) to the Prometheus text
    /// (<c>text/plain; version=0.0.4</c>, or OpenMetrics when the scraper asks for it). Returns the endpoint's builder,
    /// e.g. to restrict it to the internal port with <c>RequireHost</c>.
    /// </summary>
    public static IEndpointConventionBuilder MapVerifyMetrics(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string pattern = DefaultPath)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapPrometheusScrapingEndpoint(pattern).WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]));
    }
}
