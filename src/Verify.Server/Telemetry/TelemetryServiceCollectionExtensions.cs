using System.Reflection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Verify.Server.Metrics;
using Verify.Engine.Metrics;
using Verify.Engine.Telemetry;

namespace Verify.Server.Telemetry;

/// <summary>Metrics at /metrics always; metrics and traces over OTLP when an OTLP endpoint is configured.</summary>
internal static class TelemetryServiceCollectionExtensions
{
    /// <summary>The standard OpenTelemetry variable: OTLP export of metrics and traces, e.g. <c>http://collector:4317</c>.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public const string OtlpTracesEndpointKey = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
    public const string OtlpMetricsEndpointKey = "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT";

    /// <summary>Default <c>service.name</c>; <c>OTEL_SERVICE_NAME</c> or <c>OTEL_RESOURCE_ATTRIBUTES</c> override it.</summary>
    public const string DefaultServiceName = "verify";

    /// <summary>
    /// Registers <see cref="MetricsServiceCollectionExtensions.AddVerifyMetrics"/> and, when <see cref="OtlpEndpointKey"/>
    /// (or the signal's own variable) is set in configuration or the environment, the OTLP exporters. Without an
    /// endpoint no tracer provider is registered, so no span is ever started: nothing listens.
    /// </summary>
    public static IServiceCollection AddVerifyTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddVerifyMetrics();
        var version = typeof(TelemetryServiceCollectionExtensions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(DefaultServiceName, serviceVersion: version).AddEnvironmentVariableDetector());

        if (IsSet(configuration, OtlpMetricsEndpointKey))
        {
            telemetry.WithMetrics(metrics => metrics.AddOtlpExporter());
        }

        if (IsSet(configuration, OtlpTracesEndpointKey))
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(VerifyActivitySource.Name)
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = static context => !IsProbe(context.Request.Path))
                .AddOtlpExporter());
        }

        return services;
    }

    private static bool IsSet(IConfiguration configuration, string signalKey) =>
        !string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]) || !string.IsNullOrWhiteSpace(configuration[signalKey]);

    // Scrapes and probes come every few seconds and say nothing about verifications.
    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments(MetricsServiceCollectionExtensions.DefaultPath) || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz");
}
