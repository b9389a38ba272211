using System.Collections.Concurrent;

namespace Verify.Server.Metrics;

/// <summary>
/// One Prometheus metric: its name, type and help, and a series per label set. Every instrument whose name
/// translates to this name and agrees on type, aggregation and buckets records here, so their series add up.
/// </summary>
internal sealed class MetricFamily
{
    private readonly ConcurrentDictionary<LabelSet, MetricPoint> _points = new(LabelSetComparer.Instance);
    private readonly ConcurrentDictionary<LabelSet, MetricPoint>.AlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>> _byTags;
    private readonly double[] _boundaries;
    private readonly int _maxSeries;
    private readonly bool _isHistogram;
    private readonly bool _isCounter;
    private int _seriesCount;

    public MetricFamily(string name, string type, MetricAggregation aggregation, bool isObservable, string? help, double[] boundaries, int maxSeries)
    {
        Name = name;
        Type = type;
        Aggregation = aggregation;
        IsObservable = isObservable;
        Help = help;
        _boundaries = boundaries;
        _maxSeries = maxSeries;
        _isHistogram = aggregation == MetricAggregation.Histogram;
        _isCounter = type == PrometheusFormat.CounterType;
        _byTags = _points.GetAlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>>();
    }

    /// <summary>The Prometheus name, e.g. <c>verify_starts_total</c>.</summary>
    public string Name { get; }

    /// <summary><c>counter</c>, <c>gauge</c> or <c>histogram</c>.</summary>
    public string Type { get; }

    public MetricAggregation Aggregation { get; }

    /// <summary>True for observable instruments: their series are rebuilt by every scrape, so a series they stop reporting goes.</summary>
    public bool IsObservable { get; }

    public string? Help { get; }

    public bool Accepts(string type, MetricAggregation aggregation, bool isObservable, double[] boundaries) =>
        Type == type
        && Aggregation == aggregation
        && IsObservable == isObservable
        && _boundaries.AsSpan().SequenceEqual(boundaries);

    public void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        switch (Aggregation)
        {
            case MetricAggregation.Sum:
                // A Prometheus counter never goes down; a negative delta would read as a restart.
                if (value >= 0 || !_isCounter)
                {
                    GetPoint(tags).Add(value);
                }

                break;
            case MetricAggregation.LastValue:
                GetPoint(tags).Set(value);
                break;
            default:
                GetPoint(tags).Observe(value);
                break;
        }
    }

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        switch (Aggregation)
        {
            case MetricAggregation.Sum:
                // Non-finite deltas are dropped, or a single one would stick the sum at Inf or NaN for good.
                if (double.IsFinite(value) && (value >= 0 || !_isCounter))
                {
                    GetPoint(tags).Add(value);
                }

                break;
            case MetricAggregation.LastValue:
                GetPoint(tags).Set(value);
                break;
            default:
                if (double.IsFinite(value))
                {
                    GetPoint(tags).Observe(value);
                }

                break;
        }
    }

    /// <summary>Drops every series; only for observable families, under the exporter's scrape lock.</summary>
    public void Clear()
    {
        _points.Clear();
        Volatile.Write(ref _seriesCount, 0);
    }

    /// <summary>Writes HELP (when there is a description), TYPE and the series sorted by labels; nothing without series.</summary>
    public void WriteTo(TextWriter writer)
    {
        var points = _points.Values.ToArray();
        if (points.Length == 0)
        {
            return;
        }

        Array.Sort(points, static (a, b) => a.Labels.CompareTo(b.Labels));
        if (!string.IsNullOrEmpty(Help))
        {
            writer.Write("# HELP ");
            writer.Write(Name);
            writer.Write(' ');
            PrometheusFormat.WriteHelp(writer, Help);
            writer.Write('\n');
        }

        writer.Write("# TYPE ");
        writer.Write(Name);
        writer.Write(' ');
        writer.Write(Type);
        writer.Write('\n');
        foreach (var point in points)
        {
            point.WriteTo(writer, Name);
        }
    }

    private MetricPoint GetPoint(ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        LabelSet.IsCanonical(tags, _isHistogram) && _byTags.TryGetValue(tags, out var point) ? point : GetOrAddPoint(tags);

    private MetricPoint GetOrAddPoint(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = LabelSet.Create(tags, _isHistogram);
        if (_points.TryGetValue(labels, out var existing))
        {
            return existing;
        }

        // Past the limit new label sets share one overflow series, so a tag fed from input cannot grow memory
        // without bound. Racing adds may overshoot by a few; the limit is a guard, not an exact quota.
        if (Volatile.Read(ref _seriesCount) >= _maxSeries)
        {
            return _points.GetOrAdd(LabelSet.Overflow, static (labels, family) => new MetricPoint(labels, family.Aggregation, family._boundaries), this);
        }

        var created = new MetricPoint(labels, Aggregation, _boundaries);
        var point = _points.GetOrAdd(labels, created);
        if (ReferenceEquals(point, created))
        {
            Interlocked.Increment(ref _seriesCount);
        }

        return point;
    }
}
