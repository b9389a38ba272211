using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Verify.Delivery;
using Verify.Delivery.Providers;
using Verify.Server.Metrics;
using Verify.Server.Tests.Infrastructure;
using Verify.Server.Tests.Metrics;
using Verify.Server.Verification;
using Verify.Engine.Verification;
using Verify.Engine.Metrics;

namespace Verify.Server.Tests.Delivery;

/// <summary>Receipts through the processor: the store moves the status, metrics count each message's fate once.</summary>
public sealed class DeliveryReceiptProcessorTests : IDisposable
{
    private readonly ServiceProvider _metrics = new ServiceCollection().AddVerifyMetrics().BuildServiceProvider();
    private readonly VerifierFixture _fixture = new();
    private readonly MeasuredMetrics _measured;

    public DeliveryReceiptProcessorTests() => _measured = new MeasuredMetrics(_metrics);

    public void Dispose()
    {
        _measured.Dispose();
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
        Assert.Equal(1, _measured.Count("verify.delivery.receipts", ("provider", "capture"), ("country", "CN"), ("status", "delivered")));
        Assert.Equal([4.0], _measured.Values("verify.delivery.latency", ("provider", "capture"), ("country", "CN")));
    }

    [Fact]
    public async Task ApplyAsync_ProviderReportsTheHandsetTime_LatencyUsesIt()
    {
        await _fixture.StartedAsync(_fixture.Start());
        var sentAt = _fixture.Time.GetUtcNow();
        _fixture.Time.Advance(TimeSpan.FromSeconds(30));

        await Processor.ApplyAsync(new DeliveryReceipt("capture", _fixture.Capture.LastMessageId, DeliveryState.Delivered) { At = sentAt + TimeSpan.FromSeconds(2) }, CancellationToken.None);

        Assert.Equal([2.0], _measured.Values("verify.delivery.latency", ("provider", "capture"), ("country", "CN")));
    }

    [Fact]
    public async Task ApplyAsync_Undelivered_CountedWithoutLatency()
    {
        await _fixture.StartedAsync(_fixture.Start("login", "+447400123456"));

        await Processor.ApplyAsync(new DeliveryReceipt("capture", _fixture.Capture.LastMessageId, DeliveryState.Undelivered) { ProviderStatus = "30003" }, CancellationToken.None);

        Assert.Equal(1, _measured.Count("verify.delivery.receipts", ("provider", "capture"), ("country", "GB"), ("status", "undelivered")));
        Assert.Empty(_measured.Values("verify.delivery.latency", ("provider", "capture"), ("country", "GB")));
    }

    [Fact]
    public async Task ApplyAsync_Unknown_CountsNothing()
    {
        var outcome = await Processor.ApplyAsync(new DeliveryReceipt("capture", "forged", DeliveryState.Delivered), CancellationToken.None);

        Assert.Equal(ReceiptOutcome.Unknown, outcome);
        Assert.Equal(0, _measured.Count("verify.delivery.receipts", ("provider", "capture"), ("country", "CN"), ("status", "delivered")));
    }
}
