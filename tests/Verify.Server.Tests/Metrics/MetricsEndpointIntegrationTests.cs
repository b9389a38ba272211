using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Verify.Server.Metrics;

namespace Verify.Server.Tests.Metrics;

/// <summary>GET /metrics over real HTTP, Kestrel on loopback.</summary>
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
        builder.Services.AddVerifyMetrics();
        _app = builder.Build();
        _app.MapVerifyMetrics();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task GetMetrics_AfterRecording_PrometheusTextWithTheSeries()
    {
        var metrics = _app.Services.GetRequiredService<VerifyMetrics>();
        metrics.Start("login", "sent");
        metrics.StoreDuration("start", TimeSpan.FromMilliseconds(1));

        using var response = await _client.GetAsync(new Uri("/metrics", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("\nverify_starts_total{outcome=\"sent\",purpose=\"login\"} 1\n", body, StringComparison.Ordinal);
        Assert.Contains("\nverify_store_duration_seconds_count{operation=\"start\"} 1\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetMetrics_NothingRecorded_OkAndEmpty()
    {
        using var response = await _client.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PostMetrics_NotAGet_MethodNotAllowed()
    {
        using var response = await _client.PostAsync(new Uri("/metrics", UriKind.Relative), content: null);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}
