using StackExchange.Redis;
using Verify.Engine.Throttling;
using Verify.Engine.Verification;

namespace Verify.Engine.Storage.Redis;

/// <summary>
/// The production store: all state in Redis, so any number of replicas behave as one. Each state
/// change is one Lua script (<see cref="RedisScripts"/>). A check, by id or by number and purpose, is
/// one round trip (two when wrong codes per client IP are limited); a start is two (the number's script, then the limits on other slots side by side)
/// and a third only when one of those refuses after the number's script counted it; the hand-off to
/// the sender is recorded in one write.
/// </summary>
internal sealed partial class RedisVerificationStore(
    RedisCommandRunner redis, RedisKeys keys, IOptionsMonitor<RedisStoreOptions> options, ILogger<RedisVerificationStore> logger) : IVerificationStore
{
    private readonly RedisAdmissions _admissions = new(redis, keys);
    private volatile EncodedLockoutRules? _lockouts;

    public async ValueTask<VerificationRecord?> GetAsync(string id, string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!VerificationId.IsWellFormed(id))
        {
            return null;
        }

        var blob = (byte[]?)await redis.RunAsync(database => database.StringGetAsync(keys.Record(id)), cancellationToken);
        if (blob is null)
        {
            return null;
        }

        var record = RedisRecordCodec.Decode(id, blob);
        return record.ExpiresAt > now && record.Owner == owner ? record : null;
    }

    public async ValueTask RecordApprovalAsync(IReadOnlyList<CounterLimit> counters, string approvalId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await _admissions.RecordApprovalAsync(counters, approvalId, RedisRecordCodec.Ms(now), cancellationToken);

    /// <summary>Every master answers PING (on a cluster, each owns some numbers).</summary>
    public async ValueTask<bool> PingAsync(CancellationToken cancellationToken)
    {
        var multiplexer = redis.Multiplexer;
        if (!multiplexer.IsConnected)
        {
            return false;
        }

        var masters = multiplexer.GetEndPoints().Select(endpoint => multiplexer.GetServer(endpoint)).Where(server => !server.IsReplica).ToList();
        if (masters.Count == 0 || masters.Exists(server => !server.IsConnected))
        {
            return false;
        }

        try
        {
            await Task.WhenAll(masters.Select(server => server.PingAsync())).WaitAsync(cancellationToken);
            return true;
        }
        catch (Exception exception) when (RedisCommandRunner.IsConnectionFailure(exception))
        {
            return false;
        }
    }

    private static byte[] OwnerBytes(string owner) => owner.Length == 0 ? [] : Convert.FromHexString(owner);

    private static partial class Log
    {
        [LoggerMessage(600, LogLevel.Warning, "Verification {Id}: could not record the hand-off to the channel ({Error}).")]
        public static partial void MarkSentFailed(ILogger logger, string id, string error);

        [LoggerMessage(601, LogLevel.Warning, "Verification {Id}: could not remember the provider's message id for its receipts ({Error}).")]
        public static partial void HandoffFailed(ILogger logger, string id, string error);

        [LoggerMessage(602, LogLevel.Warning, "Could not give back a client IP's counted guess that was not a wrong code ({Error}); it counts until its window ends.")]
        public static partial void WrongCodeRefundFailed(ILogger logger, string error);
    }
}
