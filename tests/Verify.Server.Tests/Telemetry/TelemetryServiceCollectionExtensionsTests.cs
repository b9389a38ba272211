using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Verify.Server.Telemetry;
using Verify.Engine.Telemetry;

namespace Verify.Server.Tests.Telemetry;

/// <summary>Tracing exists only when an OTLP endpoint is configured; /metrics always.</summary>
public sealed class TelemetryServiceCollectionExtensionsTests
{
    [Fact]
    public void AddVerifyTelemetry_NoOtlpEndpoint_NoTracerProviderButMetrics()
    {
        using var services = Build([]);

        Assert.Null(services.GetService<TracerProvider>());
        Assert.NotNull(services.GetService<MeterProvider>());
    }

    [Theory]
    [InlineData(TelemetryServiceCollectionExtensions.OtlpEndpointKey)]
    [InlineData(TelemetryServiceCollectionExtensions.OtlpTracesEndpointKey)]
    public void AddVerifyTelemetry_OtlpEndpoint_TracerProvider(string key)
    {
        using var services = Build(new() { [key] = "http://127.0.0.1:4317" });

        Assert.NotNull(services.GetService<TracerProvider>());
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration)
            .AddVerifyTelemetry(configuration).BuildServiceProvider();
    }
}
