using System.Diagnostics;

namespace Verify.Benchmarks.Load;

/// <summary>
/// Calls sent on a fixed schedule whatever the answers do, so a slow answer cannot slow the arrivals and hide its
/// own cost (no coordinated omission): the latency a service shows at a given load. A dedicated thread keeps the
/// schedule in 1 ms steps (the sleep granularity), sending every call that is due; latency runs from the send.
/// </summary>
internal static class OpenLoop
{
    public static async Task<Measurement> RunAsync(LoadTarget target, double rate, TimeSpan duration, long maxCalls, int maxInFlight, TimeSpan deadline)
    {
        var measurement = new Measurement();
        var calls = Math.Min(maxCalls, (long)(rate * duration.TotalSeconds));
        var ticksPerCall = Stopwatch.Frequency / rate;
        long inFlight = 0;
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task CallAsync(long index)
        {
            var sent = Stopwatch.GetTimestamp();
            var status = await target.CallAsync(index);
            measurement.Record(status, sent);
            if (Interlocked.Decrement(ref inFlight) == 0 && Volatile.Read(ref calls) < 0)
            {
                drained.TrySetResult();
            }
        }

        var start = Stopwatch.GetTimestamp();
        var maxLag = 0L;
        var scheduled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var scheduler = new Thread(() =>
        {
            for (long i = 0; i < calls; i++)
            {
                var due = start + (long)(i * ticksPerCall);
                var now = Stopwatch.GetTimestamp();
                while (now < due)
                {
                    Thread.Sleep(1);
                    now = Stopwatch.GetTimestamp();
                }

                maxLag = Math.Max(maxLag, now - due);
                if (Interlocked.Read(ref inFlight) >= maxInFlight)
                {
                    measurement.RecordNotSent();
                    continue;
                }

                Interlocked.Increment(ref inFlight);
                _ = CallAsync(i);
            }

            scheduled.TrySetResult();
        }) { IsBackground = true, Name = "open-loop schedule" };
        scheduler.Start();

        // Awaited, not joined: a pool thread blocked for the phase starves the answers' continuations on a
        // generator pinned to one CPU (one pool thread) until the pool injects another, about a second later.
        await scheduled.Task;

        // Marks the schedule done; the last answer to arrive then completes the wait.
        Volatile.Write(ref calls, -1);
        if (Interlocked.Read(ref inFlight) == 0)
        {
            drained.TrySetResult();
        }

        await drained.Task.WaitAsync(deadline + TimeSpan.FromSeconds(2));
        measurement.Elapsed = Stopwatch.GetElapsedTime(start);
        measurement.MaxLag = Stopwatch.GetElapsedTime(0, maxLag);
        return measurement;
    }
}
