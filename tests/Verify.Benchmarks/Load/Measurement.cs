using System.Diagnostics;
using Grpc.Core;

namespace Verify.Benchmarks.Load;

/// <summary>What one phase saw: latency of every answered call, and how many calls ended in each gRPC status.</summary>
internal sealed class Measurement
{
    /// <summary>Past the last StatusCode: calls the open loop did not send because too many were in flight.</summary>
    public const int NotSent = 17;

    /// <summary>Past NotSent: calls that answered OK with the wrong content (a wrong-code check that was not valid=false, PENDING).</summary>
    public const int OkUnexpected = 18;

    private readonly long[] _statuses = new long[OkUnexpected + 1];

    public static string Name(int index) => index switch
    {
        NotSent => "NotSent",
        OkUnexpected => "OkUnexpected",
        _ => ((StatusCode)index).ToString(),
    };

    public LatencyHistogram Latency { get; } = new();

    public TimeSpan Elapsed { get; set; }

    /// <summary>Open loop: how far behind its schedule the generator fell at worst (its own lateness, not the server's).</summary>
    public TimeSpan MaxLag { get; set; }

    public void Record(StatusCode status, long startTimestamp)
    {
        Interlocked.Increment(ref _statuses[(int)status]);
        Latency.Record((long)Stopwatch.GetElapsedTime(startTimestamp).TotalMicroseconds);
    }

    public void RecordNotSent() => Interlocked.Increment(ref _statuses[NotSent]);

    public long Calls => _statuses.Sum();

    public long Status(int index) => Interlocked.Read(ref _statuses[index]);
}
