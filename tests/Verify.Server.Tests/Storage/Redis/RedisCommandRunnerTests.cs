using Verify.Engine.Verification;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using NSubstitute;
using StackExchange.Redis;
using Verify.Engine.Storage.Redis;

namespace Verify.Server.Tests.Storage.Redis;

/// <summary>
/// A connection reset mid-command reaches the store as the socket's exception, not a RedisException (seen
/// when redis-server is killed under load). A real reset cannot be timed onto one command, so the client is
/// a substitute failing on cue; the fault suites kill real servers.
/// </summary>
public sealed class RedisCommandRunnerTests
{
    public static TheoryData<Exception> ConnectionFailures() => new()
    {
        new IOException("Connection reset by peer"),
        new SocketException((int)SocketError.ConnectionReset),
        new ObjectDisposedException("socket"),
        new RedisConnectionException(ConnectionFailureType.SocketClosed, "closed"),
    };

    [Theory]
    [MemberData(nameof(ConnectionFailures))]
    public async Task Evaluate_ConnectionFailsMidCommand_StoreUnavailable(Exception failure)
    {
        var database = Substitute.For<IDatabase>();
        database.ScriptEvaluateAsync(Arg.Any<byte[]>(), Arg.Any<RedisKey[]?>(), Arg.Any<RedisValue[]?>(), Arg.Any<CommandFlags>()).Returns(Task.FromException<RedisResult>(failure));
        var multiplexer = Substitute.For<IConnectionMultiplexer>();
        multiplexer.IsConnected.Returns(true);
        multiplexer.GetDatabase(Arg.Any<int>(), Arg.Any<object?>()).Returns(database);
        var runner = new RedisCommandRunner(multiplexer, Options.Create(new RedisStoreOptions()), TimeProvider.System);

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => runner.EvaluateAsync(RedisScripts.MarkSent, new RedisScripts.MarkSentParameters("k", [1]), CancellationToken.None));

        Assert.Same(failure, error.InnerException);
    }
}
