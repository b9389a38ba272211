using Verify.Engine.Verification;
using StackExchange.Redis;

namespace Verify.Engine.Storage.Redis;

/// <summary>
/// How far Redis's clock is from ours, so a script can be told, in Redis's time, when its caller
/// stops waiting (<see cref="RedisScripts"/>, <c>too_late</c>). Estimated from TIME at the midpoint
/// of its round trip, so a sample is only as good as half its round trip: samples slower than
/// <c>max(50 ms, timeout / 10)</c> (Redis stalled while answering) are thrown away. The first state
/// change waits for a good sample (a few tries within its timeout); after that, samples are refreshed
/// in the background every 5 s.
/// </summary>
internal sealed class RedisClock(IConnectionMultiplexer multiplexer, TimeSpan operationTimeout, TimeProvider timeProvider)
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(5);

    private readonly TimeSpan _slowestUsefulSample = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(50).Ticks, operationTimeout.Ticks / 10));
    private long _offsetMs;
    private long _sampledAtTicks;
    private int _sampling;

    /// <summary>
    /// Our time <paramref name="after"/> from now, on Redis's clock, in Unix ms. Without a good sample
    /// yet it takes one first; if that fails too, Redis is not answering well enough to change anything.
    /// </summary>
    public async ValueTask<long> DeadlineAfterAsync(TimeSpan after, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _sampledAtTicks) == 0)
        {
            await FirstSampleAsync().WaitAsync(operationTimeout, timeProvider, cancellationToken).ConfigureAwait(false);
            if (Volatile.Read(ref _sampledAtTicks) == 0)
            {
                throw new StoreUnavailableException("Redis's clock could not be read promptly; nothing was done.");
            }
        }
        else if (timeProvider.GetElapsedTime(Volatile.Read(ref _sampledAtTicks)) >= SampleEvery && Interlocked.Exchange(ref _sampling, 1) == 0)
        {
            _ = SampleAndReleaseAsync();
        }

        return timeProvider.GetUtcNow().ToUnixTimeMilliseconds() + (long)after.TotalMilliseconds + Volatile.Read(ref _offsetMs);
    }

    // One slow answer (a busy machine) should not fail a call: a few tries, within the caller's timeout.
    private async Task FirstSampleAsync()
    {
        for (var attempt = 0; attempt < 3 && Volatile.Read(ref _sampledAtTicks) == 0; attempt++)
        {
            await SampleAsync().ConfigureAwait(false);
        }
    }

    private async Task SampleAndReleaseAsync()
    {
        try
        {
            await SampleAsync().ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _sampling, 0);
        }
    }

    private async Task SampleAsync()
    {
        try
        {
            var server = multiplexer.GetEndPoints().Select(endpoint => multiplexer.GetServer(endpoint)).FirstOrDefault(s => s.IsConnected && !s.IsReplica);
            if (server is null)
            {
                return;
            }

            var before = timeProvider.GetUtcNow();
            var redisTime = await server.TimeAsync().ConfigureAwait(false);
            var after = timeProvider.GetUtcNow();
            if (after - before > _slowestUsefulSample)
            {
                return;
            }

            var midpoint = before + ((after - before) / 2);
            Volatile.Write(ref _offsetMs, (long)(new DateTimeOffset(DateTime.SpecifyKind(redisTime, DateTimeKind.Utc)) - midpoint).TotalMilliseconds);
            Volatile.Write(ref _sampledAtTicks, Math.Max(1, timeProvider.GetTimestamp()));
        }
        catch (Exception exception) when (exception is TimeoutException || RedisCommandRunner.IsConnectionFailure(exception))
        {
            // The next call tries again; until then the last good estimate (or none) stands.
        }
    }
}
