using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Verify.Server.Delivery;
using Verify.Server.Delivery.Providers;
using Verify.Server.Metrics;
using Verify.Server.Tests.Infrastructure;
using Verify.Server.Verification;

namespace Verify.Server.Tests.Delivery;

/// <summary>Receipts through the processor: the store moves the status, metrics count each message's fate once.</summary>
public sealed class DeliveryReceiptProcessorTests : IDisposable
{
    private readonly ServiceProvider _metrics = new ServiceCollection().AddVerifyMetrics().BuildServiceProvider();
    private readonly VerifierFixture _fixture = new();

    public void Dispose()
    {
        _fixture.Dispose();
        _metrics.Dispose();
    }

    private DeliveryReceiptProcessor Processor => new(_fixture.Store, _metrics.GetRequiredService<DeliveryMetrics>(), _fixture.Time, NullLogger<DeliveryReceiptProcessor>.Instance);

    [Fact]
    public async Task ApplyAsync_DeliveredAfterFourSeconds_CountsOneDeliveryWithItsLatencyInItsCountry()
    {
        await _fixture.StartedAsync(_fixture.Start());
        _fixture.Time.Advance(TimeSpan.FromSeconds(4));

        var outcome = await Processor.ApplyAsync(new DeliveryReceipt("capture", _fixture.Capture.LastMessageId, DeliveryState.Delivered), CancellationToken.None);
        await Processor.ApplyAsync(new DeliveryReceipt("capture", _fixture.Capture.LastMessageId, DeliveryState.Delivered), CancellationToken.None);

        Assert.Equal(ReceiptOutcome.Applied, outcome);
        var text = Render();
        Assert.Contains("verify_delivery_receipts_total{country=\"CN\",provider=\"capture\",status=\"delivered\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("verify_delivery_latency_seconds_count{country=\"CN\",provider=\"capture\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("verify_delivery_latency_seconds_sum{country=\"CN\",provider=\"capture\"} 4\n", text, StringComparison.Ordinal);
        Assert.Contains("verify_delivery_latency_seconds_bucket{country=\"CN\",le=\"5\",provider=\"capture\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("verify_delivery_latency_seconds_bucket{country=\"CN\",le=\"3\",provider=\"capture\"} 0\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyAsync_ProviderReportsTheHandsetTime_LatencyUsesIt()
    {
        await _fixture.StartedAsync(_fixture.Start());
        var sentAt = _fixture.Time.GetUtcNow();
        _fixture.Time.Advance(TimeSpan.FromSeconds(30));

        await Processor.ApplyAsync(new DeliveryReceipt("capture", _fixture.Capture.LastMessageId, DeliveryState.Delivered) { At = sentAt + TimeSpan.FromSeconds(2) }, CancellationToken.None);

        Assert.Contains("verify_delivery_latency_seconds_sum{country=\"CN\",provider=\"capture\"} 2\n", Render(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyAsync_Undelivered_CountedWithoutLatency()
    {
        await _fixture.StartedAsync(_fixture.Start("login", "+447400123456"));

        await Processor.ApplyAsync(new DeliveryReceipt("capture", _fixture.Capture.LastMessageId, DeliveryState.Undelivered) { ProviderStatus = "30003" }, CancellationToken.None);

        var text = Render();
        Assert.Contains("verify_delivery_receipts_total{country=\"GB\",provider=\"capture\",status=\"undelivered\"} 1\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("verify_delivery_latency_seconds_count{country=\"GB\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyAsync_Unknown_CountsNothing()
    {
        var outcome = await Processor.ApplyAsync(new DeliveryReceipt("capture", "forged", DeliveryState.Delivered), CancellationToken.None);

        Assert.Equal(ReceiptOutcome.Unknown, outcome);
        Assert.DoesNotContain("verify_delivery_receipts_total{", Render(), StringComparison.Ordinal);
    }

    private string Render() => _metrics.GetRequiredService<PrometheusExporter>().Render();
}
