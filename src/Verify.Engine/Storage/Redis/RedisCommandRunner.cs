using Verify.Engine.Verification;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Verify.Engine.Storage.Redis;

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
        Traced(script, parameters, guarded: false, cancellationToken);

    /// <summary>
    /// A script that changes state, given the time (on Redis's clock) after which it must change
    /// nothing (<see cref="RedisScripts.GuardedParameters.Deadline"/>): this call stops waiting then,
    /// and its caller is told UNAVAILABLE.
    /// </summary>
    public Task<RedisResult> EvaluateBeforeDeadlineAsync(RedisScript script, RedisScripts.GuardedParameters parameters, CancellationToken cancellationToken)
    {
        if (!multiplexer.IsConnected)
        {
            return Task.FromException<RedisResult>(new StoreUnavailableException("Redis is not connected."));
        }

        var deadline = _clock.DeadlineAfterAsync(_timeout, cancellationToken);
        if (!deadline.IsCompletedSuccessfully)
        {
            return AfterDeadlineKnownAsync(script, parameters, deadline, cancellationToken);
        }

        parameters.Deadline = deadline.Result;
        return Traced(script, parameters, guarded: true, cancellationToken);
    }

    private async Task<RedisResult> AfterDeadlineKnownAsync(
        RedisScript script, RedisScripts.GuardedParameters parameters, ValueTask<long> deadline, CancellationToken cancellationToken)
    {
        try
        {
            parameters.Deadline = await deadline.ConfigureAwait(false);
        }
        catch (TimeoutException exception)
        {
            throw new StoreUnavailableException($"Redis did not answer within {_timeout.TotalMilliseconds:0} ms.", exception);
        }

        return await Traced(script, parameters, guarded: true, cancellationToken).ConfigureAwait(false);
    }

    private Task<RedisResult> Traced(RedisScript script, object parameters, bool guarded, CancellationToken cancellationToken) =>
        RedisScriptSpan.IsRecording
            ? RedisScriptSpan.TraceAsync(script, () => EvaluateCoreAsync(script, parameters, guarded, cancellationToken))
            : EvaluateCoreAsync(script, parameters, guarded, cancellationToken);

    /// <summary>
    /// The one awaiting step of a script call (each async layer costs an allocation and a hop per call): by
    /// its SHA-1, and once more as text when the node does not know it.
    /// </summary>
    private async Task<RedisResult> EvaluateCoreAsync(RedisScript script, object parameters, bool guarded, CancellationToken cancellationToken)
    {
        if (!multiplexer.IsConnected)
        {
            throw new StoreUnavailableException("Redis is not connected.");
        }

        RedisResult result;
        Task<RedisResult>? pending = null;
        try
        {
            var database = multiplexer.GetDatabase();
            var (keys, values) = script.Arguments(parameters);
            try
            {
                pending = script.EvaluateByHashAsync(database, keys, values);
                result = await Bounded(pending, cancellationToken).ConfigureAwait(false);
            }
            catch (RedisServerException exception) when (RedisScript.IsUnknownScript(exception))
            {
                pending = script.EvaluateTextAsync(database, keys, values);
                result = await Bounded(pending, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (TimeoutException exception)
        {
            ObserveLate(pending);
            throw TimedOut(exception);
        }
        catch (Exception exception) when (IsConnectionFailure(exception))
        {
            throw Unavailable(exception);
        }

        // Every guarded script answers an array whose first element says what happened.
        return guarded && (RedisResult[])result! is [var first, ..] && (string?)first == "late"
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
            return await Bounded(pending, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException exception)
        {
            ObserveLate(pending);
            throw TimedOut(exception);
        }
        catch (Exception exception) when (IsConnectionFailure(exception))
        {
            throw Unavailable(exception);
        }
    }

    private Task<T> Bounded<T>(Task<T> pending, CancellationToken cancellationToken) => pending.WaitAsync(_timeout, timeProvider, cancellationToken);

    /// <summary>A reply that comes after we gave up must not surface as an unobserved task exception.</summary>
    private static void ObserveLate(Task? pending) =>
        pending?.ContinueWith(static task => task.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    /// <summary>
    /// What the client raises when Redis is gone or going: its own exceptions, and, when a connection is reset
    /// mid-command, the socket's (the client's ConnectionResetException is an IOException). Each is UNAVAILABLE,
    /// never an unexpected error that would answer UNKNOWN.
    /// </summary>
    public static bool IsConnectionFailure(Exception exception) =>
        exception is RedisException or IOException or System.Net.Sockets.SocketException or ObjectDisposedException;

    private StoreUnavailableException TimedOut(TimeoutException exception) =>
        exception is RedisTimeoutException ? Unavailable(exception) : new StoreUnavailableException($"Redis did not answer within {_timeout.TotalMilliseconds:0} ms.", exception);

    private static StoreUnavailableException Unavailable(Exception exception) =>
        new($"Redis failed: {exception.GetType().Name}.", exception);
}
