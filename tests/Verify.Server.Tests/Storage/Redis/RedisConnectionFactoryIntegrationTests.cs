using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using Verify.Engine.Storage.Redis;
using Verify.Server.Tests.Infrastructure.Redis;

namespace Verify.Server.Tests.Storage.Redis;

/// <summary>
/// The multiplexer as production opens it, on a redis-server of its own that the test kills: a
/// command made while Redis is away fails at once and is never sent when Redis is back (StackExchange.Redis
/// 2.x and later queue such commands by default and replay them on reconnect).
/// </summary>
public sealed class RedisConnectionFactoryIntegrationTests
{
    // Long, so that a queued command would still be waiting (and replayed) when Redis is back.
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Command_WhileDisconnected_FailsAtOnceAndIsNotRunAfterReconnect()
    {
        using var server = RedisServerProcess.Start("--maxmemory-policy", "noeviction");
        using var multiplexer = RedisConnectionFactory.Connect(
            new RedisStoreOptions { Configuration = server.EndPoint, OperationTimeout = OperationTimeout }, NullLogger.Instance);
        var database = multiplexer.GetDatabase();
        await database.PingAsync();

        server.Kill();
        await WaitUntilAsync(() => !multiplexer.IsConnected, "the multiplexer did not notice the kill");
        var write = database.StringSetAsync("written-while-down", "1");
        var failedAtOnce = await Task.WhenAny(write, Task.Delay(TimeSpan.FromSeconds(1))) == write;

        // Redis comes back well within the operation timeout: a queued write would be sent now.
        server.Restart();
        await WaitUntilAsync(() => multiplexer.IsConnected, "the multiplexer did not reconnect");
        await database.PingAsync();

        Assert.True(failedAtOnce, "the write made while disconnected was still waiting after 1 s");
        await Assert.ThrowsAsync<RedisConnectionException>(() => write);
        Assert.Equal("$-1\r\n", server.TryCommand("GET written-while-down"));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(15), failure);
            await Task.Delay(20);
        }
    }
}
