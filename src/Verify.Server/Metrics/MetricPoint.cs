using System.Globalization;

namespace Verify.Server.Metrics;

/// <summary>
/// The state of one series. Sums and last values are lock-free; a histogram observation takes a short lock
/// so a scrape sees its buckets, sum and count from the same instant (the +Inf bucket always equals the count).
/// </summary>
internal sealed class MetricPoint
{
    private readonly MetricAggregation _aggregation;
    private readonly double[] _boundaries;
    private readonly long[]? _bucketCounts;
    private readonly Lock? _histogramLock;

    // Integer deltas (exact, unlike a double past 2^53), or a histogram's count.
    private long _integer;

    // Floating deltas, the last value, or a histogram's sum.
    private double _floating;

    // Whether any floating delta arrived: an integer-only sum is written without a decimal point.
    private bool _hasFloating;

    public MetricPoint(LabelSet labels, MetricAggregation aggregation, double[] boundaries)
    {
        Labels = labels;
        _aggregation = aggregation;
        _boundaries = boundaries;
        if (aggregation == MetricAggregation.Histogram)
        {
            _bucketCounts = new long[boundaries.Length + 1];
            _histogramLock = new Lock();
        }
    }

    public LabelSet Labels { get; }

    public void Add(long delta) => Interlocked.Add(ref _integer, delta);

    public void Add(double delta)
    {
        if (!Volatile.Read(ref _hasFloating))
        {
            Volatile.Write(ref _hasFloating, true);
        }

        var current = Volatile.Read(ref _floating);
        while (true)
        {
            var observed = Interlocked.CompareExchange(ref _floating, current + delta, current);

            // Compared as bits: NaN never equals itself and would spin forever.
            if (BitConverter.DoubleToInt64Bits(observed) == BitConverter.DoubleToInt64Bits(current))
            {
                return;
            }

            current = observed;
        }
    }

    public void Set(double value) => Interlocked.Exchange(ref _floating, value);

    public void Observe(double value)
    {
        var bucket = BucketIndex(value);
        lock (_histogramLock!)
        {
            _bucketCounts![bucket]++;
            _floating += value;
            _integer++;
        }
    }

    /// <summary>Writes the sample lines of this series (a histogram's buckets cumulative, then _sum and _count).</summary>
    public void WriteTo(TextWriter writer, string name)
    {
        switch (_aggregation)
        {
            case MetricAggregation.Sum:
                var integer = Interlocked.Read(ref _integer);
                WriteSample(writer, name, null, null, Volatile.Read(ref _hasFloating)
                    ? PrometheusFormat.FormatDouble(integer + Volatile.Read(ref _floating))
                    : integer.ToString(CultureInfo.InvariantCulture));
                break;
            case MetricAggregation.LastValue:
                WriteSample(writer, name, null, null, PrometheusFormat.FormatDouble(Volatile.Read(ref _floating)));
                break;
            default:
                WriteHistogram(writer, name);
                break;
        }
    }

    private int BucketIndex(double value)
    {
        // Buckets are upper-inclusive (le); the last index is +Inf.
        int low = 0, high = _boundaries.Length;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (value <= _boundaries[middle])
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }

    private void WriteHistogram(TextWriter writer, string name)
    {
        var counts = new long[_bucketCounts!.Length];
        double sum;
        long count;
        lock (_histogramLock!)
        {
            Array.Copy(_bucketCounts, counts, counts.Length);
            sum = _floating;
            count = _integer;
        }

        var bucketName = name + "_bucket";
        long cumulative = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            cumulative += counts[i];
            var le = i < _boundaries.Length ? PrometheusFormat.FormatDouble(_boundaries[i]) : "+Inf";
            WriteSample(writer, bucketName, LabelSet.BucketLabel, le, cumulative.ToString(CultureInfo.InvariantCulture));
        }

        WriteSample(writer, name + "_sum", null, null, PrometheusFormat.FormatDouble(sum));
        WriteSample(writer, name + "_count", null, null, count.ToString(CultureInfo.InvariantCulture));
    }

    private void WriteSample(TextWriter writer, string name, string? extraLabel, string? extraValue, string value)
    {
        writer.Write(name);
        Labels.WriteTo(writer, extraLabel, extraValue);
        writer.Write(' ');
        writer.Write(value);

        // Not WriteLine: the format wants \n on every platform.
        writer.Write('\n');
    }
}
