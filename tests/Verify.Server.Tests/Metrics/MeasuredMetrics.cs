using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Verify.Server.Tests.Metrics;

/// <summary>
/// What Verify's instruments recorded in one service provider. The collectors take only the meters of that
/// provider's <see cref="IMeterFactory"/>, so tests running in parallel, all on a meter named Verify, stay apart.
/// </summary>
internal sealed class MeasuredMetrics : IDisposable
{
    private static readonly string[] s_counters =
    [
        "verify.starts", "verify.checks", "verify.throttled", "verify.pumping.blocks", "verify.config.reloads", "verify.sms.sent",
        "verify.delivery.attempts", "verify.delivery.breaker", "verify.delivery.receipts",
    ];

    private static readonly string[] s_histograms = ["verify.store.duration", "verify.delivery.latency"];

    private readonly Dictionary<string, MetricCollector<long>> _counters;
    private readonly Dictionary<string, MetricCollector<double>> _histograms;

    public MeasuredMetrics(IServiceProvider services)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        _counters = s_counters.ToDictionary(name => name, name => new MetricCollector<long>(factory, Engine.Metrics.VerifyMetrics.MeterName, name));
        _histograms = s_histograms.ToDictionary(name => name, name => new MetricCollector<double>(factory, Engine.Metrics.VerifyMetrics.MeterName, name));
    }

    /// <summary>The sum a counter recorded with exactly these tags.</summary>
    public long Count(string instrument, params (string Key, string Value)[] tags) =>
        _counters[instrument].GetMeasurementSnapshot().Where(m => Matches(m.Tags, tags)).Sum(m => m.Value);

    /// <summary>The values a histogram recorded with exactly these tags.</summary>
    public IReadOnlyList<double> Values(string instrument, params (string Key, string Value)[] tags) =>
        [.. _histograms[instrument].GetMeasurementSnapshot().Where(m => Matches(m.Tags, tags)).Select(m => m.Value)];

    public void Dispose()
    {
        foreach (var collector in _counters.Values)
        {
            collector.Dispose();
        }

        foreach (var collector in _histograms.Values)
        {
            collector.Dispose();
        }
    }

    private static bool Matches(IReadOnlyDictionary<string, object?> recorded, (string Key, string Value)[] expected) =>
        recorded.Count == expected.Length && expected.All(tag => recorded.TryGetValue(tag.Key, out var value) && Equals(value, tag.Value));
}
