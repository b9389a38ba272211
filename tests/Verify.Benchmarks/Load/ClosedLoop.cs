using System.Diagnostics;

namespace Verify.Benchmarks.Load;

/// <summary>A fixed number of callers, each sending its next call when the last one answers: the peak rate.</summary>
internal static class ClosedLoop
{
    public static async Task<Measurement> RunAsync(LoadTarget target, int concurrency, TimeSpan duration, long maxCalls)
    {
        var measurement = new Measurement();
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long issued = 0;

        async Task CallerAsync(int lane)
        {
            // Bounded twice: by the phase's end and by its call budget; each call by its deadline.
            while (Stopwatch.GetTimestamp() < end && Interlocked.Increment(ref issued) <= maxCalls)
            {
                var sent = Stopwatch.GetTimestamp();
                var status = await target.CallAsync(lane);
                measurement.Record(status, sent);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(lane => Task.Run(() => CallerAsync(lane))));
        measurement.Elapsed = Stopwatch.GetElapsedTime(start);
        return measurement;
    }
}
