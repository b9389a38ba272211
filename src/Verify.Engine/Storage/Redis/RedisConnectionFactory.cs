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
        var configuration = RedisConnectionSettings.Build(options, logger);
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

        // The client's account of the first connect: the one place that reliably says why it failed (a command
        // made afterwards may only meet the socket the client closed). Read for that reason, never logged whole.
        using var connectLog = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        var multiplexer = ConnectionMultiplexer.Connect(configuration, connectLog);
        multiplexer.ConnectionFailed += (_, e) => ConnectionFailed(logger, options, e);
        multiplexer.ConnectionRestored += (_, e) => Log.ConnectionRestored(logger, e.EndPoint?.ToString() ?? "?");
        if (!multiplexer.IsConnected)
        {
            // ConnectionFailed is not raised for the first attempt: ask why now, so a refused password or
            // certificate is said at start rather than left to be guessed from NOT_SERVING.
            var (refused, reason) = WhyNotConnected(multiplexer, connectLog.ToString());
            reason = RedisConnectionSettings.MaskSecrets(reason, options);
            if (refused)
            {
                Log.AuthenticationFailed(logger, string.Join(" ", configuration.EndPoints), reason);
            }

            Log.NotConnectedAtStart(logger, reason);
        }

        return multiplexer;
    }

    /// <summary>
    /// Whether Redis refused us (a password, user or certificate), and the innermost reason: from the connect log's
    /// "Connection failed: … AuthenticationFailure" entry and the reason line after it, else from what a command meets
    /// now (it fails at once: <see cref="BacklogPolicy.FailFast"/>).
    /// </summary>
    private static (bool Refused, string Reason) WhyNotConnected(IConnectionMultiplexer multiplexer, string connectLog)
    {
        var lines = connectLog.Split('\n', StringSplitOptions.TrimEntries);
        for (var i = 0; i + 1 < lines.Length; i++)
        {
            var marker = lines[i + 1].IndexOf(": > ", StringComparison.Ordinal);
            if (lines[i].Contains("Connection failed:", StringComparison.Ordinal) && lines[i].Contains("AuthenticationFailure", StringComparison.Ordinal) && marker >= 0)
            {
                return (true, lines[i + 1][(marker + 4)..]);
            }
        }

        try
        {
            multiplexer.GetDatabase().Ping();
            return (false, "it answered since");
        }
        catch (Exception exception) when (RedisCommandRunner.IsConnectionFailure(exception) || exception is TimeoutException)
        {
            var refused = false;
            for (Exception? cause = exception; cause is not null; cause = cause.InnerException)
            {
                refused |= cause is RedisConnectionException { FailureType: ConnectionFailureType.AuthenticationFailure }
                    or System.Security.Authentication.AuthenticationException;
            }

            return (refused, exception.GetBaseException().Message);
        }
    }

    private static void ConnectionFailed(ILogger logger, RedisStoreOptions options, ConnectionFailedEventArgs e)
    {
        var endPoint = e.EndPoint?.ToString() ?? "?";
        if (e.FailureType == ConnectionFailureType.AuthenticationFailure)
        {
            // A refused password or certificate does not cure itself: say which settings to look at. The reason is
            // Redis's or the TLS stack's text (WRONGPASS …, the certificate was rejected …), masked all the same.
            var reason = RedisConnectionSettings.MaskSecrets(e.Exception?.GetBaseException().Message ?? "no reason given", options);
            Log.AuthenticationFailed(logger, endPoint, reason);
            return;
        }

        Log.ConnectionFailed(logger, endPoint, e.FailureType.ToString());
    }

    private static partial class Log
    {
        [LoggerMessage(610, LogLevel.Warning, "Redis connection to {EndPoint} failed: {FailureType}. Calls are answered UNAVAILABLE until it is back.")]
        public static partial void ConnectionFailed(ILogger logger, string endPoint, string failureType);

        [LoggerMessage(613, LogLevel.Error, "Redis at {EndPoint} refused Verify's credentials or TLS handshake ({Reason}); check Verify:Redis:User, Verify:Redis:Password and Verify:Redis:Tls. Calls are answered UNAVAILABLE until it connects.")]
        public static partial void AuthenticationFailed(ILogger logger, string endPoint, string reason);

        [LoggerMessage(611, LogLevel.Information, "Redis connection to {EndPoint} restored.")]
        public static partial void ConnectionRestored(ILogger logger, string endPoint);

        [LoggerMessage(612, LogLevel.Warning, "Redis is not reachable at start ({Reason}); Verify is NOT_SERVING until it is.")]
        public static partial void NotConnectedAtStart(ILogger logger, string reason);
    }
}
