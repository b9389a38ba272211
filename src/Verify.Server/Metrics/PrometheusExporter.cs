using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Numerics;

namespace Verify.Server.Metrics;

/// <summary>
/// Listens to the instruments of the meters with one name and renders what they recorded in the Prometheus text
/// format 0.0.4. It listens from construction: measurements made before it existed are not seen.
/// Recording and scraping are thread-safe and may run concurrently; scrapes are serialized with each other.
/// </summary>
/// <remarks>
/// Counters (sum per label set, <c>_total</c>), up-down counters (gauge), gauges (last value), observable
/// counters, up-down counters and gauges (asked at each scrape) and histograms (cumulative buckets, <c>_sum</c>,
/// <c>_count</c>). Meter and instrument tags are not exported; only the tags of each measurement become labels.
/// </remarks>
internal sealed class PrometheusExporter : IDisposable
{
    /// <summary>Default limit of series per metric: 2,000, as in the OpenTelemetry SDK.</summary>
    public const int DefaultMaxSeriesPerMetric = 2000;

    private readonly ConcurrentDictionary<string, MetricFamily> _families = new(StringComparer.Ordinal);
    private readonly Lock _scrapeLock = new();
    private readonly string _meterName;
    private readonly object? _meterScope;
    private readonly int _maxSeriesPerMetric;
    private readonly double[] _defaultBoundaries;
    private readonly MeterListener _listener;

    /// <summary>Starts listening at once.</summary>
    /// <param name="meterName">Only meters of this name (ordinal) are exported.</param>
    /// <param name="meterScope">
    /// When set, only meters whose <see cref="Meter.Scope"/> is this object: pass the <see cref="IMeterFactory"/> of the
    /// service provider, so another provider in the same process (a test host) cannot mix in its meter of the same name.
    /// Defaults to null, any scope.
    /// </param>
    /// <param name="maxSeriesPerMetric">
    /// Series per metric before new label sets go to one <c>otel_metric_overflow="true"</c> series.
    /// Defaults to <see cref="DefaultMaxSeriesPerMetric"/>.
    /// </param>
    /// <param name="histogramBoundaries">
    /// Bucket upper bounds of histograms without advice of their own (<see cref="InstrumentAdvice{T}.HistogramBucketBoundaries"/>);
    /// finite and strictly increasing, +Inf is implied. Defaults to <see cref="DefaultHistogramBoundaries"/>.
    /// </param>
    public PrometheusExporter(
        string meterName,
        object? meterScope = null,
        int maxSeriesPerMetric = DefaultMaxSeriesPerMetric,
        IReadOnlyList<double>? histogramBoundaries = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(meterName);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSeriesPerMetric, 1);
        _meterName = meterName;
        _meterScope = meterScope;
        _maxSeriesPerMetric = maxSeriesPerMetric;
        _defaultBoundaries = histogramBoundaries is null
            ? [.. DefaultHistogramBoundaries]
            : ValidBoundaries(histogramBoundaries)
                ?? throw new ArgumentException("Histogram boundaries must be finite and strictly increasing.", nameof(histogramBoundaries));

        _listener = new MeterListener { InstrumentPublished = OnInstrumentPublished };
        _listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => ((MetricFamily)state!).Record((long)value, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => ((MetricFamily)state!).Record((long)value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((MetricFamily)state!).Record((long)value, tags));
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => ((MetricFamily)state!).Record((double)value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<decimal>(static (_, value, tags, state) => ((MetricFamily)state!).Record((double)value, tags));

        // Last: Start publishes the instruments that already exist, and OnInstrumentPublished needs the fields above.
        _listener.Start();
    }

    /// <summary>
    /// Bucket upper bounds in seconds, 0.5 ms to 10 s (+Inf implied): 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
    /// 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10.
    /// </summary>
    public static IReadOnlyList<double> DefaultHistogramBoundaries { get; } =
        Array.AsReadOnly([0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);

    /// <summary>
    /// Writes every metric with at least one series: metrics sorted by name and series by labels (ordinal),
    /// so equal state always renders the same text. Lines end in <c>\n</c> whatever the writer's NewLine.
    /// </summary>
    public void WriteTo(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        lock (_scrapeLock)
        {
            // Observable instruments report their state now; clearing first makes a series they no longer report go away.
            var families = _families.Values.ToArray();
            foreach (var family in families)
            {
                if (family.IsObservable)
                {
                    family.Clear();
                }
            }

            _listener.RecordObservableInstruments();
            Array.Sort(families, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            foreach (var family in families)
            {
                family.WriteTo(writer);
            }
        }
    }

    /// <summary>The text <see cref="WriteTo"/> writes.</summary>
    public string Render()
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        WriteTo(writer);
        return writer.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private static double[]? ValidBoundaries(IReadOnlyList<double> boundaries)
    {
        for (var i = 0; i < boundaries.Count; i++)
        {
            if (!double.IsFinite(boundaries[i]) || (i > 0 && boundaries[i] <= boundaries[i - 1]))
            {
                return null;
            }
        }

        return [.. boundaries];
    }

    private static (string Type, MetricAggregation Aggregation)? Classify(Instrument instrument)
    {
        var type = instrument.GetType();
        if (!type.IsGenericType)
        {
            return null;
        }

        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(Counter<>) ? (PrometheusFormat.CounterType, MetricAggregation.Sum)
            : definition == typeof(UpDownCounter<>) ? (PrometheusFormat.GaugeType, MetricAggregation.Sum)
            : definition == typeof(Histogram<>) ? (PrometheusFormat.HistogramType, MetricAggregation.Histogram)
            : definition == typeof(Gauge<>) ? (PrometheusFormat.GaugeType, MetricAggregation.LastValue)
            : definition == typeof(ObservableCounter<>) ? (PrometheusFormat.CounterType, MetricAggregation.LastValue)
            : definition == typeof(ObservableUpDownCounter<>) || definition == typeof(ObservableGauge<>) ? (PrometheusFormat.GaugeType, MetricAggregation.LastValue)
            : null;
    }

    private static IReadOnlyList<double>? AdvisedBoundaries(Instrument instrument) => instrument switch
    {
        Instrument<double> i => i.Advice?.HistogramBucketBoundaries,
        Instrument<float> i => ToDoubles(i.Advice?.HistogramBucketBoundaries),
        Instrument<long> i => ToDoubles(i.Advice?.HistogramBucketBoundaries),
        Instrument<int> i => ToDoubles(i.Advice?.HistogramBucketBoundaries),
        Instrument<short> i => ToDoubles(i.Advice?.HistogramBucketBoundaries),
        Instrument<byte> i => ToDoubles(i.Advice?.HistogramBucketBoundaries),
        Instrument<decimal> i => ToDoubles(i.Advice?.HistogramBucketBoundaries),
        _ => null,
    };

    private static double[]? ToDoubles<T>(IReadOnlyList<T>? values)
        where T : INumberBase<T> =>
        values?.Select(double.CreateChecked).ToArray();

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (!string.Equals(instrument.Meter.Name, _meterName, StringComparison.Ordinal)
            || (_meterScope is not null && !ReferenceEquals(instrument.Meter.Scope, _meterScope))
            || Classify(instrument) is not { } kind)
        {
            return;
        }

        var (type, aggregation) = kind;

        var boundaries = aggregation == MetricAggregation.Histogram
            ? (AdvisedBoundaries(instrument) is { } advised ? ValidBoundaries(advised) : null) ?? _defaultBoundaries
            : [];
        var name = PrometheusFormat.MetricName(instrument.Name, instrument.Unit, type);
        var family = _families.GetOrAdd(
            name,
            static (name, state) => new MetricFamily(name, state.type, state.aggregation, state.instrument.IsObservable, state.instrument.Description, state.boundaries, state.max),
            (type, aggregation, instrument, boundaries, max: _maxSeriesPerMetric));

        // An instrument that would collide with another kind under the same name is left out rather than
        // rendered as a second metric of that name, which Prometheus would reject as a whole scrape.
        if (family.Accepts(type, aggregation, instrument.IsObservable, boundaries))
        {
            listener.EnableMeasurementEvents(instrument, family);
        }
    }
}
