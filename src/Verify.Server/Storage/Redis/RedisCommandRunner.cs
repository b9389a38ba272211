using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Verify.Server.Storage.Redis;

/// <summary>
/// Runs Redis operations the way the store needs them: bounded by <see cref="RedisStoreOptions.OperationTimeout"/>,
/// refused at once while disconnected (so nothing waits to run later), and every Redis failure turned
/// into <see cref="StoreUnavailableException"/>: Verify fails closed.
/// </summary>
internal sealed class RedisCommandRunner(IConnectionMultiplexer multiplexer, IOptions<RedisStoreOptions> options, TimeProvider timeProvider)
{
    private readonly TimeSpan _timeout = options.Value.OperationTimeout;
    private readonly RedisClock _clock = new(multiplexer, options.Value.OperationTimeout, timeProvider);

    public IConnectionMultiplexer Multiplexer => multiplexer;

    public Task<RedisResult> EvaluateAsync(RedisScript script, object parameters, CancellationToken cancellationToken) =>
        RedisScriptSpan.IsRecording
            ? RedisScriptSpan.TraceAsync(script, () => RunAsync(database => script.EvaluateAsync(database, parameters), cancellationToken))
            : RunAsync(database => script.EvaluateAsync(database, parameters), cancellationToken);

    /// <summary>
    /// A script that changes state, given the time (on Redis's clock) after which it must change
    /// nothing (<see cref="RedisScripts.GuardedParameters.Deadline"/>): this call stops waiting then,
    /// and its caller is told UNAVAILABLE.
    /// </summary>
    public async Task<RedisResult> EvaluateBeforeDeadlineAsync(RedisScript script, RedisScripts.GuardedParameters parameters, CancellationToken cancellationToken)
    {
        if (!multiplexer.IsConnected)
        {
            throw new StoreUnavailableException("Redis is not connected.");
        }

        long deadline;
        try
        {
            deadline = await _clock.DeadlineAfterAsync(_timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException exception)
        {
            throw new StoreUnavailableException($"Redis did not answer within {_timeout.TotalMilliseconds:0} ms.", exception);
        }

        parameters.Deadline = deadline;
        var result = await EvaluateAsync(script, parameters, cancellationToken).ConfigureAwait(false);
        // Every guarded script answers an array whose first element says what happened.
        return (RedisResult[])result! is [var first, ..] && (string?)first == "late"
            ? throw new StoreUnavailableException("Redis ran the operation after its deadline; it changed nothing.")
            : result;
    }

    public async Task<T> RunAsync<T>(Func<IDatabase, Task<T>> operation, CancellationToken cancellationToken)
    {
        if (!multiplexer.IsConnected)
        {
            throw new StoreUnavailableException("Redis is not connected.");
        }

        Task<T> pending;
        try
        {
            pending = operation(multiplexer.GetDatabase());
        }
        catch (Exception exception) when (IsConnectionFailure(exception))
        {
            throw Unavailable(exception);
        }

        try
        {
            return await pending.WaitAsync(_timeout, timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException exception)
        {
            // A reply that comes after we gave up must not surface as an unobserved task exception.
            _ = pending.ContinueWith(static task => task.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw exception is RedisTimeoutException ? Unavailable(exception) : new StoreUnavailableException($"Redis did not answer within {_timeout.TotalMilliseconds:0} ms.", exception);
        }
        catch (Exception exception) when (IsConnectionFailure(exception))
        {
            throw Unavailable(exception);
        }
    }

    /// <summary>
    /// What the client raises when Redis is gone or going: its own exceptions, and, when a connection is reset
    /// mid-command, the socket's (the client's ConnectionResetException is an IOException). Each is UNAVAILABLE,
    /// never an unexpected error that would answer UNKNOWN.
    /// </summary>
    public static bool IsConnectionFailure(Exception exception) =>
        exception is RedisException or IOException or System.Net.Sockets.SocketException or ObjectDisposedException;

    private static StoreUnavailableException Unavailable(Exception exception) =>
        new($"Redis failed: {exception.GetType().Name}.", exception);
}
