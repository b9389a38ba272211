using System.Numerics;

namespace Verify.Benchmarks.Load;

/// <summary>
/// Microsecond latencies in log-linear buckets (exact below 256 µs, then 128 per power of two: under 1 % error),
/// fixed in size whatever the number of calls, and safe to record from any thread without a lock.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int Linear = 256;
    private const int SubBuckets = 128;
    private const int MaxBit = 40;

    private readonly long[] _counts = new long[Linear + (MaxBit - 8 + 1) * SubBuckets];
    private long _count;
    private long _max;

    public long Count => Interlocked.Read(ref _count);

    public long Max => Interlocked.Read(ref _max);

    public void Record(long micros)
    {
        micros = Math.Clamp(micros, 0, (1L << MaxBit) - 1);
        Interlocked.Increment(ref _counts[Index(micros)]);
        Interlocked.Increment(ref _count);
        var max = Interlocked.Read(ref _max);
        while (micros > max)
        {
            var seen = Interlocked.CompareExchange(ref _max, micros, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    /// <summary>The upper bound of the bucket holding the q-quantile, so a percentile is never understated.</summary>
    public long Percentile(double q)
    {
        var total = Count;
        if (total == 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(q * total));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= rank)
            {
                return Math.Min(UpperBound(i), Max);
            }
        }

        return Max;
    }

    private static int Index(long micros)
    {
        if (micros < Linear)
        {
            return (int)micros;
        }

        var bit = 63 - BitOperations.LeadingZeroCount((ulong)micros);
        var shift = bit - 7;
        return Linear + (bit - 8) * SubBuckets + (int)((micros >> shift) - SubBuckets);
    }

    private static long UpperBound(int index)
    {
        if (index < Linear)
        {
            return index;
        }

        var bit = (index - Linear) / SubBuckets + 8;
        var shift = bit - 7;
        var sub = (index - Linear) % SubBuckets + SubBuckets;
        return ((long)(sub + 1) << shift) - 1;
    }
}
