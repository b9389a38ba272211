using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Verify.Grpc.InteropHost.V1;
using Verify.Grpc.Tests.Infrastructure;

namespace Verify.Grpc.Tests.Functional;

/// <summary>Deadlines and client cancellation reach the handler's token; each test waits for its own count.</summary>
public sealed class CancellationFunctionalTests(InteropHostFixture host) : IClassFixture<InteropHostFixture>
{
    private static readonly TimeSpan StatsWait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Sleep_PastItsDeadline_ReturnsDeadlineExceededPromptlyAndCancelsTheHandler()
    {
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);
        var before = await GetStatsAsync();
        var stopwatch = Stopwatch.StartNew();

        using var result = await host.Client.CallAsync(
            InteropPaths.Sleep, new SleepRequest { Milliseconds = 60_000 }, Empty.Parser, new GrpcCallOptions { Timeout = "200m" }, timeout.Token);
        stopwatch.Stop();

        Assert.Equal(StatusCode.DeadlineExceeded, result.Status.Code);
        Assert.Empty(result.Messages);

        // Far sooner than the sleep; the upper bound leaves room for a loaded machine.
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(10));
        var after = await Eventually.WaitForAsync(GetStatsAsync, s => s.CancellationsObserved > before.CancellationsObserved, StatsWait);
        Assert.Equal(before.CancellationsObserved + 1, after.CancellationsObserved);
        Assert.Equal(before.SleepsCompleted, after.SleepsCompleted);
    }

    [Fact]
    public async Task Sleep_ShorterThanItsDeadline_Completes()
    {
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);
        var before = await GetStatsAsync();

        using var result = await host.Client.CallAsync(
            InteropPaths.Sleep, new SleepRequest { Milliseconds = 10 }, Empty.Parser, new GrpcCallOptions { Timeout = "10S" }, timeout.Token);

        Assert.Equal(StatusCode.OK, result.Status.Code);
        Assert.Equal(before.SleepsCompleted + 1, (await GetStatsAsync()).SleepsCompleted);
    }

    [Fact]
    public async Task Sleep_ClientCancelsMidCall_CancelsTheHandler()
    {
        var before = await GetStatsAsync();
        using var cancel = new CancellationTokenSource();

        var call = host.Client.SendAsync(InteropPaths.Sleep, new SleepRequest { Milliseconds = 60_000 }, cancellationToken: cancel.Token);
        await Task.Delay(500);
        Assert.False(call.IsCompleted);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        var after = await Eventually.WaitForAsync(GetStatsAsync, s => s.CancellationsObserved > before.CancellationsObserved, StatsWait);
        Assert.Equal(before.CancellationsObserved + 1, after.CancellationsObserved);
        Assert.Equal(before.SleepsCompleted, after.SleepsCompleted);
    }

    [Fact]
    public async Task ServerStream_DeadlinePassesMidStream_EndsWithDeadlineExceededInTrailers()
    {
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);

        using var result = await host.Client.CallAsync(
            InteropPaths.ServerStream, new StreamRequest { Count = 20, IntervalMs = 100 }, EchoResponse.Parser, new GrpcCallOptions { Timeout = "450m" }, timeout.Token);

        Assert.Equal(StatusCode.DeadlineExceeded, result.Status.Code);
        Assert.False(result.Status.TrailersOnly);
        Assert.InRange(result.Messages.Count, 1, 19);
        Assert.Equal(Enumerable.Range(0, result.Messages.Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), result.Messages.Select(m => m.Message));
    }

    [Fact]
    public async Task Sleep_ManyServerSideDeadlinesOnOneConnection_AllEndDeadlineExceededAndBystandersSucceed()
    {
        // This client never cancels on its own: every Sleep is ended by the server's deadline timer,
        // racing the handler's own end after its token fired. Bystander Echo calls share the connection.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var sleepStatuses = new System.Collections.Concurrent.ConcurrentBag<StatusCode>();
        var echoStatuses = new System.Collections.Concurrent.ConcurrentBag<StatusCode>();
        var sleepers = Enumerable.Range(0, 50).Select(async _ =>
        {
            for (var i = 0; i < 40; i++)
            {
                using var result = await host.Client.CallAsync(
                    InteropPaths.Sleep, new SleepRequest { Milliseconds = 60_000 }, Empty.Parser, new GrpcCallOptions { Timeout = "20m" }, timeout.Token);
                sleepStatuses.Add(result.Status.Code);
            }
        }).ToArray();
        var echoes = Task.Run(async () =>
        {
            for (var i = 0; i < 5000 && !sleepers.All(s => s.IsCompleted); i++)
            {
                using var result = await host.Client.CallAsync(InteropPaths.Echo, new EchoRequest { Message = "bystander" }, EchoResponse.Parser, cancellationToken: timeout.Token);
                echoStatuses.Add(result.Status.Code);
            }
        });

        await Task.WhenAll(sleepers);
        await echoes;

        Assert.Equal(2000, sleepStatuses.Count);
        Assert.All(sleepStatuses, code => Assert.Equal(StatusCode.DeadlineExceeded, code));
        Assert.NotEmpty(echoStatuses);
        Assert.All(echoStatuses, code => Assert.Equal(StatusCode.OK, code));
    }

    private async Task<Stats> GetStatsAsync()
    {
        using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);
        using var result = await host.Client.CallAsync(InteropPaths.GetStats, new Empty(), Stats.Parser, cancellationToken: timeout.Token);
        Assert.Equal(StatusCode.OK, result.Status.Code);
        return result.Single;
    }
}
