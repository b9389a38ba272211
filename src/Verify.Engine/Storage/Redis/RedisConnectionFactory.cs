using StackExchange.Redis;

namespace Verify.Engine.Storage.Redis;

/// <summary>
/// Opens the one multiplexer a process shares. It does not wait for Redis: a replica starts (and
/// reports NOT_SERVING) while Redis is down, and connects by itself when it comes back.
/// Commands are never held back for a later connection (<see cref="BacklogPolicy.FailFast"/>): a
/// call made while Redis is away fails at once, as Verify answers it UNAVAILABLE at once, and must
/// not run when Redis returns.
/// </summary>
internal static partial class RedisConnectionFactory
{
    public static IConnectionMultiplexer Connect(RedisStoreOptions options, ILogger logger)
    {
        var configuration = ConfigurationOptions.Parse(options.Configuration!);
        configuration.AbortOnConnectFail = false;
        configuration.SyncTimeout = (int)options.OperationTimeout.TotalMilliseconds;
        configuration.AsyncTimeout = (int)options.OperationTimeout.TotalMilliseconds;

        // The default policy queues commands while disconnected and sends them on reconnect: a start
        // or check its caller was told failed would then count, or consume a code, later.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        if (!options.Configuration!.Contains("keepAlive=", StringComparison.OrdinalIgnoreCase))
        {
            // A peer that vanished without a reset is noticed within seconds, not the default minute.
            configuration.KeepAlive = 5;
        }

        var multiplexer = ConnectionMultiplexer.Connect(configuration);
        multiplexer.ConnectionFailed += (_, e) => Log.ConnectionFailed(logger, e.EndPoint?.ToString() ?? "?", e.FailureType.ToString());
        multiplexer.ConnectionRestored += (_, e) => Log.ConnectionRestored(logger, e.EndPoint?.ToString() ?? "?");
        if (!multiplexer.IsConnected)
        {
            Log.NotConnectedAtStart(logger);
        }

        return multiplexer;
    }

    private static partial class Log
    {
        [LoggerMessage(610, LogLevel.Warning, "Redis connection to {EndPoint} failed: {FailureType}. Calls are answered UNAVAILABLE until it is back.")]
        public static partial void ConnectionFailed(ILogger logger, string endPoint, string failureType);

        [LoggerMessage(611, LogLevel.Information, "Redis connection to {EndPoint} restored.")]
        public static partial void ConnectionRestored(ILogger logger, string endPoint);

        [LoggerMessage(612, LogLevel.Warning, "Redis is not reachable at start; Verify is NOT_SERVING until it is.")]
        public static partial void NotConnectedAtStart(ILogger logger);
    }
}
