using System.Globalization;
using StackExchange.Redis;
using Verify.Server.Throttling;
using Verify.Server.Verification;

namespace Verify.Server.Storage.Redis;

/// <summary>
/// The production store: all state in Redis, so any number of replicas behave as one. Each state
/// change is one Lua script (<see cref="RedisScripts"/>). A check by id is one round trip; a start is
/// two (the IP window beside a read of the pending id, then the number's script) and a third only
/// when it is refused after the IP window counted it; the hand-off to the sender is recorded without
/// holding the call.
/// </summary>
internal sealed partial class RedisVerificationStore(RedisCommandRunner redis, RedisKeys keys, ILogger<RedisVerificationStore> logger) : IVerificationStore
{
    private readonly RedisAdmissions _admissions = new(redis, keys);

    // A pending id that changes under a start (a concurrent start) is re-read this many times at most.
    private const int StartAttempts = 3;

    public async ValueTask<StartResult> StartAsync(StartCommand command, CancellationToken cancellationToken)
    {
        var phoneKey = keys.Number(command.PhoneNumber);
        var now = RedisRecordCodec.Ms(command.Now);

        // Round trip 1: the limits on other slots side by side with the read of the pending id.
        var pendingId = redis.EvaluateAsync(RedisScripts.PendingId, [phoneKey], [command.Purpose], cancellationToken);
        var admission = command.Safe ? Task.FromResult<StartResult.Throttled?>(null) : _admissions.AdmitAsync(command, now, cancellationToken);
        RedisResult pending;
        try
        {
            pending = await pendingId;
        }
        catch (Exception exception) when (exception is StoreUnavailableException or OperationCanceledException)
        {
            await ((Task)admission).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (!command.Safe && admission.IsCompletedSuccessfully && admission.Result is null)
            {
                await _admissions.TryRefundAllAsync(command);
            }

            throw;
        }

        if (await admission is { } refusal)
        {
            return refusal;
        }

        // Round trip 2: the number's own script.
        StartResult result;
        try
        {
            result = await RunStartScriptAsync(command, phoneKey, pending.IsNull ? null : (string?)pending, now, cancellationToken);
        }
        catch (Exception exception) when (!command.Safe && exception is StoreUnavailableException or OperationCanceledException)
        {
            await _admissions.TryRefundAllAsync(command);
            throw;
        }

        if (result is not StartResult.Stored && !command.Safe)
        {
            // Refused or replayed: no counter may keep a send that did not happen.
            await _admissions.RefundAsync(command);
        }

        return result;
    }

    private async Task<StartResult> RunStartScriptAsync(
        StartCommand command, RedisKey phoneKey, string? expectedId, long now, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var parts = (RedisResult[])(await redis.EvaluateBeforeDeadlineAsync(
                RedisScripts.Start, [phoneKey, keys.Record(command.NewId)], StartArguments(command, expectedId, now), cancellationToken))!;
            switch ((string)parts[0]!)
            {
                case "stored":
                    var previous = (byte[])parts[2]!;
                    return new StartResult.Stored(
                        RedisRecordCodec.Decode((string)parts[3]!, (byte[])parts[1]!),
                        previous.Length == 0 ? null : RedisRecordCodec.Decode((string)parts[4]!, previous),
                        PreviousCooldownUntil: null);
                case "replayed":
                    return new StartResult.Replayed(RedisRecordCodec.Decode((string)parts[2]!, (byte[])parts[1]!));
                case "throttled":
                    var subject = (string)parts[1]!;
                    return new StartResult.Throttled(subject, ThrottleMessages.Describe(subject, command), TimeSpan.FromMilliseconds(Math.Max(0, (long)parts[2])));
                case "retry" when attempt < StartAttempts:
                    expectedId = (string)parts[1]!;
                    continue;
                default:
                    throw new StoreUnavailableException("The pending verification kept changing under the start.");
            }
        }
    }

    public async ValueTask CompleteSendAsync(SendOutcome outcome, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var start = outcome.Start;
        var record = start.Record;
        if (outcome.Delivered)
        {
            MarkSent(record);
            return;
        }

        var previous = start.Previous;
        var phone = redis.EvaluateAsync(
            RedisScripts.Refund,
            [keys.Number(record.PhoneNumber), keys.Record(record.Id), keys.Record(previous?.Id ?? record.Id)],
            [
                RedisRecordCodec.Ms(now), RedisAdmissions.SendIdBytes(record.LastSendId), outcome.Command.Safe ? 0 : RedisRecordCodec.Ms(outcome.Command.Now),
                record.Id, record.Purpose, previous?.Id ?? string.Empty, previous is null ? RedisValue.EmptyString : RedisRecordCodec.Encode(previous),
            ],
            cancellationToken);
        await Task.WhenAll(phone, outcome.Command.Safe ? Task.CompletedTask : _admissions.RefundAsync(outcome.Command));
    }

    public async ValueTask<CheckResult> CheckAsync(CheckCommand command, CancellationToken cancellationToken)
    {
        if (!VerificationId.IsWellFormed(command.Id))
        {
            return CheckResult.NotFound.Instance;
        }

        var arguments = new List<RedisValue>(6 + (3 * command.CodeHashes.Count))
        {
            RedisRecordCodec.Ms(command.Now), keys.NumberPrefixForTag(VerificationId.ShardTagOf(command.Id)), command.Id,
            command.CodeLength, command.FitsDigits ? 1 : 0, command.FitsAlphanumeric ? 1 : 0, OwnerBytes(command.Owner),
            string.Join(';', command.Lockouts.Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Key}|{l.Value.MaxFailures}|{(long)l.Value.Duration.TotalMilliseconds}"))),
        };
        foreach (var (keyId, hash) in command.CodeHashes)
        {
            arguments.AddRange([keyId, hash, command.TransactionFingerprints?.GetValueOrDefault(keyId) ?? []]);
        }

        var parts = (RedisResult[])(await redis.EvaluateBeforeDeadlineAsync(RedisScripts.Check, [keys.Record(command.Id)], [.. arguments], cancellationToken))!;
        return (string)parts[0]! switch
        {
            "notfound" => CheckResult.NotFound.Instance,
            "malformed" => new CheckResult.Malformed((int)parts[1]),
            "throttled" => new CheckResult.Throttled(
                (string)parts[1]!, ThrottleMessages.LockedOut((int)parts[3]), TimeSpan.FromMilliseconds(Math.Max(0, (long)parts[2]))),
            _ => new CheckResult.Checked((int)parts[1] == 1, RedisRecordCodec.Decode(command.Id, (byte[])parts[2]!)),
        };
    }

    public async ValueTask<string?> FindIdAsync(string phoneNumber, string purpose, string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var prefix = keys.RecordPrefixForTag(VerificationId.ShardTag(phoneNumber));
        var result = await redis.EvaluateAsync(
            RedisScripts.FindLiveId, [keys.Number(phoneNumber)], [RedisRecordCodec.Ms(now), prefix, OwnerBytes(owner), purpose], cancellationToken);
        return result.IsNull ? null : (string?)result;
    }

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

    public async ValueTask<CancelResult> CancelAsync(string id, string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!VerificationId.IsWellFormed(id))
        {
            return CancelResult.NotFound.Instance;
        }

        var parts = (RedisResult[])(await redis.EvaluateBeforeDeadlineAsync(
            RedisScripts.Cancel,
            [keys.Record(id)],
            [RedisRecordCodec.Ms(now), keys.NumberPrefixForTag(VerificationId.ShardTagOf(id)), id, OwnerBytes(owner)],
            cancellationToken))!;
        return (string)parts[0]! switch
        {
            "notfound" => CancelResult.NotFound.Instance,
            "notpending" => new CancelResult.NotPending(RedisRecordCodec.Decode(id, (byte[])parts[1]!)),
            _ => new CancelResult.Canceled(RedisRecordCodec.Decode(id, (byte[])parts[1]!)),
        };
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

        var masters = multiplexer.GetEndPoints().Select(endpoint => multiplexer.GetServer(endpoint)).Where(server => !server.IsSlave).ToList();
        if (masters.Count == 0 || masters.Exists(server => !server.IsConnected))
        {
            return false;
        }

        try
        {
            await Task.WhenAll(masters.Select(server => server.PingAsync())).WaitAsync(cancellationToken);
            return true;
        }
        catch (RedisException)
        {
            return false;
        }
    }

    private void MarkSent(VerificationRecord record)
    {
        // Not awaited: the SMS is already with the channel, and the call should not wait for a status
        // field. The write goes on the same connection as any later command, so a check sees it.
        _ = redis.EvaluateAsync(RedisScripts.MarkSent, [keys.Record(record.Id)], [RedisAdmissions.SendIdBytes(record.LastSendId)], CancellationToken.None)
            .ContinueWith(
                static (task, state) =>
                {
                    var (logger, id) = ((ILogger, string))state!;
                    Log.MarkSentFailed(logger, id, task.Exception!.GetBaseException().Message);
                },
                (logger, record.Id),
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted,
                TaskScheduler.Default);
    }

    private RedisValue[] StartArguments(StartCommand command, string? expectedId, long now)
    {
        var policy = command.Policy;
        var fresh = command.CodeForNewId;
        var pending = expectedId is null ? null : command.CodeForExistingId(expectedId);

        // The limit across the number's purposes is counted in the number's own state, in this script.
        var acrossPurposes = command.Counters.FirstOrDefault(c => c.Scope == RedisAdmissions.NumberScope)?.Windows ?? [];
        return
        [
            now, keys.RecordPrefixForTag(VerificationId.ShardTag(command.PhoneNumber)),
            command.NewId, expectedId ?? string.Empty, command.IdempotencyKey ?? string.Empty, RedisAdmissions.SendIdBytes(command.SendId),
            RedisAdmissions.Limits(policy.PhoneLimits), RedisAdmissions.LongestMs(policy.PhoneLimits), (long)policy.ResendCooldown.TotalMilliseconds,
            (long)policy.Ttl.TotalMilliseconds, policy.KeepPreviousCodeOnResend ? 1 : 0,
            policy.MaxAttempts, policy.CodeLength, (int)policy.Alphabet, command.Locale, command.PhoneNumber, command.Purpose,
            fresh.KeyId, fresh.Hash, fresh.TransactionFingerprint ?? [],
            pending?.Hash ?? [], pending?.TransactionFingerprint ?? [],
            OwnerBytes(command.Owner), command.Safe ? 1 : 0,
            RedisAdmissions.Limits(acrossPurposes), RedisAdmissions.LongestMs(acrossPurposes),
        ];
    }

    private static byte[] OwnerBytes(string owner) => owner.Length == 0 ? [] : Convert.FromHexString(owner);

    private static partial class Log
    {
        [LoggerMessage(600, LogLevel.Warning, "Verification {Id}: could not record the hand-off to the channel ({Error}).")]
        public static partial void MarkSentFailed(ILogger logger, string id, string error);
    }
}
