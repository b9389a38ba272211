using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Verify.Delivery;

/// <summary>
/// Delivery's instruments, on the service's one meter, <see cref="MeterName"/>. Tags come from small fixed
/// sets: configured provider names, ISO region codes, the result and status words below.
/// Delivery rate per provider and country is <c>verify_delivery_receipts_total{status="delivered"}</c> over
/// the sum of the final statuses (docs/delivery.md).
/// </summary>
internal sealed class DeliveryMetrics
{
    /// <summary>The meter every Verify instrument is on; the server's own instruments use it too.</summary>
    public const string MeterName = "Verify";

    private const string ProviderTag = "provider";

    private readonly Counter<long> _attempts;
    private readonly Counter<long> _breaker;
    private readonly Counter<long> _receipts;
    private readonly Histogram<double> _latency;

    public DeliveryMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _attempts = meter.CreateCounter<long>("verify.delivery.attempts", "{message}", "Sends tried through a provider, by provider and result (accepted, failed, timeout, open, busy).");
        _breaker = meter.CreateCounter<long>("verify.delivery.breaker", "{transition}", "Circuit breaker transitions of a provider, by state entered (opened, half_open, closed).");
        _receipts = meter.CreateCounter<long>("verify.delivery.receipts", "{receipt}", "Final delivery receipts, one per message, by provider, destination country and status (delivered, undelivered, failed).");
        _latency = meter.CreateHistogram<double>(
            "verify.delivery.latency",
            unit: "s",
            description: "Time from the provider taking a message to its delivered receipt, by provider and destination country.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBoundaries });
    }

    /// <summary>Seconds: an SMS is usually on the handset within 2 to 10 s; a minute is already a problem.</summary>
    public static IReadOnlyList<double> LatencyBoundaries { get; } = [0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 45, 60, 120, 300, 600];

    public void Attempt(string provider, string result)
    {
        var tags = new TagList { { ProviderTag, provider }, { "result", result } };
        _attempts.Add(1, in tags);
    }

    public void Breaker(string provider, string state)
    {
        var tags = new TagList { { ProviderTag, provider }, { "state", state } };
        _breaker.Add(1, in tags);
    }

    public void Receipt(string provider, string country, string status, TimeSpan? latency)
    {
        var tags = new TagList { { ProviderTag, provider }, { "country", country }, { "status", status } };
        _receipts.Add(1, in tags);
        if (latency is { } elapsed)
        {
            var latencyTags = new TagList { { ProviderTag, provider }, { "country", country } };
            _latency.Record(Math.Max(0, elapsed.TotalSeconds), in latencyTags);
        }
    }
}
