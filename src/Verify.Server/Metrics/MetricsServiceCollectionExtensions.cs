using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Verify.Server.Metrics;

/// <summary>Verify's metrics and their Prometheus endpoint.</summary>
internal static class MetricsServiceCollectionExtensions
{
    /// <summary>Default path of the scrape endpoint: <c>/metrics</c>.</summary>
    public const string DefaultPath = "/metrics";

    /// <summary>
    /// Registers <see cref="IMeterFactory"/>, <see cref="VerifyMetrics"/>, <see cref="DeliveryMetrics"/> and a <see cref="PrometheusExporter"/> of the
    /// <see cref="VerifyMetrics.MeterName"/> meters from this provider's factory, built when the host starts. Safe to call twice.
    /// </summary>
    public static IServiceCollection AddVerifyMetrics(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMetrics();
        services.TryAddSingleton(serviceProvider =>
            new PrometheusExporter(VerifyMetrics.MeterName, serviceProvider.GetRequiredService<IMeterFactory>()));

        // The exporter first, even without a host (tests, tools): then it listens before any instrument can record.
        services.TryAddSingleton(serviceProvider =>
        {
            serviceProvider.GetRequiredService<PrometheusExporter>();
            return new VerifyMetrics(serviceProvider.GetRequiredService<IMeterFactory>());
        });
        services.TryAddSingleton(serviceProvider =>
        {
            serviceProvider.GetRequiredService<PrometheusExporter>();
            return new DeliveryMetrics(serviceProvider.GetRequiredService<IMeterFactory>());
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PrometheusExporterActivator>());
        return services;
    }

    /// <summary>
    /// Maps <c>GET</c> <paramref name="pattern"/> (defaults to <see cref="DefaultPath"/>) to the Prometheus text,
    /// <c>text/plain; version=0.0.4; charset=utf-8</c>. Returns the endpoint's builder, e.g. to restrict it
    /// to the internal port with <c>RequireHost</c>.
    /// </summary>
    public static RouteHandlerBuilder MapVerifyMetrics(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string pattern = DefaultPath)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        // Rendered to a string, then written asynchronously: Kestrel forbids synchronous writes to the response.
        return endpoints.MapGet(pattern, static ([FromServices] PrometheusExporter exporter) =>
            Results.Text(exporter.Render(), PrometheusFormat.ContentType));
    }
}
