using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Verify.Server.Metrics;
using Verify.Server.Telemetry;
using Verify.Engine.Metrics;
using Verify.Engine.Telemetry;

namespace Verify.Server.Tests.Metrics;

/// <summary>GET /metrics over real HTTP, Kestrel on loopback: what a Prometheus scrape gets from OpenTelemetry's exporter.</summary>
public sealed class MetricsEndpointIntegrationTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();

        // The test's folder holds Verify.Server's appsettings.json, whose Kestrel endpoints must not be bound here.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddVerifyTelemetry(builder.Configuration);
        _app = builder.Build();
        _app.MapVerifyMetrics();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
    }

    private async Task<string> ScrapeAsync()
    {
        using var response = await _client.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        return await response.Content.ReadAsStringAsync();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task GetMetrics_AfterRecording_PrometheusTextWithTheDocumentedNames()
    {
        // Every host in this test process listens to every meter named Verify: a purpose of its own keeps the counts exact.
        var purpose = $"metrics-{Guid.NewGuid():N}";
        var metrics = _app.Services.GetRequiredService<VerifyMetrics>();
        metrics.Start(purpose, "sent");
        metrics.Start(purpose, "sent");
        metrics.Check(purpose, "wrong_code");

        var body = await ScrapeAsync();

        Assert.Contains("# TYPE verify_starts_total counter\n", body, StringComparison.Ordinal);
        Assert.Contains($"verify_starts_total{{outcome=\"sent\",purpose=\"{purpose}\"}} 2\n", body, StringComparison.Ordinal);
        Assert.Contains($"verify_checks_total{{outcome=\"wrong_code\",purpose=\"{purpose}\"}} 1\n", body, StringComparison.Ordinal);
        Assert.Matches("(?m)^target_info\\{.*service_name=\"verify\"", body);
    }

    [Fact]
    public async Task GetMetrics_StoreDuration_SecondsHistogramWithVerifysBuckets()
    {
        var operation = $"op-{Guid.NewGuid():N}";
        _app.Services.GetRequiredService<VerifyMetrics>().StoreDuration(operation, TimeSpan.FromMilliseconds(3));

        var body = await ScrapeAsync();

        // 0.0025 and 0.005 are the instrument's advice: the SDK's default buckets (in milliseconds) would start at 0, 5, 10.
        Assert.Contains("# TYPE verify_store_duration_seconds histogram\n", body, StringComparison.Ordinal);
        Assert.Contains($"verify_store_duration_seconds_bucket{{operation=\"{operation}\",le=\"0.0025\"}} 0\n", body, StringComparison.Ordinal);
        Assert.Contains($"verify_store_duration_seconds_bucket{{operation=\"{operation}\",le=\"0.005\"}} 1\n", body, StringComparison.Ordinal);
        Assert.Contains($"verify_store_duration_seconds_count{{operation=\"{operation}\"}} 1\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetMetrics_RecordedJustBefore_SeenByTheNextScrape()
    {
        var purpose = $"metrics-{Guid.NewGuid():N}";
        var metrics = _app.Services.GetRequiredService<VerifyMetrics>();
        metrics.Start(purpose, "sent");
        await ScrapeAsync();

        metrics.Start(purpose, "sent");

        Assert.Contains($"outcome=\"sent\",purpose=\"{purpose}\"}} 2\n", await ScrapeAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostMetrics_NotAGet_MethodNotAllowed()
    {
        using var response = await _client.PostAsync(new Uri("/metrics", UriKind.Relative), content: null);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}
