using StackExchange.Redis;

namespace Verify.Server.Storage.Redis;

/// <summary>
/// How far Redis's clock is from ours, so a script can be told, in Redis's time, when its caller
/// stops waiting (<see cref="RedisScripts"/>, <c>too_late</c>). Sampled with TIME at most every few
/// seconds, in the background; the estimate is good to half a round trip. Until the first sample
/// there is no deadline (0), which scripts read as "none".
/// </summary>
internal sealed class RedisClock(IConnectionMultiplexer multiplexer, TimeProvider timeProvider)
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(5);

    private long _offsetMs;
    private long _sampledAtTicks;
    private int _sampling;

    /// <summary>Our time <paramref name="after"/> from now, on Redis's clock, in Unix ms; 0 when not known yet.</summary>
    public long DeadlineAfter(TimeSpan after)
    {
        SampleIfStale();
        return Volatile.Read(ref _sampledAtTicks) == 0
            ? 0
            : timeProvider.GetUtcNow().ToUnixTimeMilliseconds() + (long)after.TotalMilliseconds + Volatile.Read(ref _offsetMs);
    }

    private void SampleIfStale()
    {
        var sampledAt = Volatile.Read(ref _sampledAtTicks);
        if ((sampledAt != 0 && timeProvider.GetElapsedTime(sampledAt) < SampleEvery) || Interlocked.Exchange(ref _sampling, 1) == 1)
        {
            return;
        }

        _ = SampleAsync();
    }

    private async Task SampleAsync()
    {
        try
        {
            var server = multiplexer.GetEndPoints().Select(endpoint => multiplexer.GetServer(endpoint)).FirstOrDefault(s => s.IsConnected && !s.IsSlave);
            if (server is null)
            {
                return;
            }

            var before = timeProvider.GetUtcNow();
            var redisTime = await server.TimeAsync().ConfigureAwait(false);
            var after = timeProvider.GetUtcNow();
            var midpoint = before + ((after - before) / 2);
            Volatile.Write(ref _offsetMs, (long)(new DateTimeOffset(DateTime.SpecifyKind(redisTime, DateTimeKind.Utc)) - midpoint).TotalMilliseconds);
            Volatile.Write(ref _sampledAtTicks, timeProvider.GetTimestamp());
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // The next call tries again; until then the last estimate (or none) stands.
        }
        finally
        {
            Volatile.Write(ref _sampling, 0);
        }
    }
}
