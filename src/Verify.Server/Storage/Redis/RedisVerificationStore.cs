using System.Globalization;
using StackExchange.Redis;
using Verify.Delivery.Providers;
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
        var numberKey = keys.Number(command.PhoneNumber);
        var now = RedisRecordCodec.Ms(command.Now);

        // Round trip 1: the number's own limits, checked and counted at once on its slot, so a burst to
        // one number is refused before it touches any counter shared with other numbers. It also names
        // the pending verification a resend's code is hashed for.
        var admitted = (RedisResult[])(await redis.EvaluateBeforeDeadlineAsync(
            RedisScripts.AdmitNumber, AdmitNumberParameters(command, numberKey, now), cancellationToken))!;
        switch ((string)admitted[0]!)
        {
            case "replayed":
                return new StartResult.Replayed(RedisRecordCodec.Decode((string)admitted[2]!, (byte[])admitted[1]!));
            case "throttled":
                var subject = (string)admitted[1]!;
                return new StartResult.Throttled(subject, ThrottleMessages.Describe(subject, command), TimeSpan.FromMilliseconds(Math.Max(0, (long)admitted[2])));
        }

        // Round trip 2: the record, side by side with the limits on other slots.
        var pendingId = (string)admitted[1]! is { Length: > 0 } pending ? pending : null;
        var storing = StoreRecordAsync(command, numberKey, pendingId, now, cancellationToken);
        var admission = command.Safe ? Task.FromResult<StartResult.Throttled?>(null) : _admissions.AdmitAsync(command, now, cancellationToken);
        try
        {
            await Task.WhenAll(storing, admission);
        }
        catch (Exception exception) when (exception is StoreUnavailableException or OperationCanceledException)
        {
            await GiveBackAsync(command, storing, admission);
            throw;
        }

        if (await admission is { } refusal)
        {
            // Another limit refused: the number's counts and the record go back as they were.
            await RefundNumberAsync(command, await storing, RedisRecordCodec.Ms(command.Now), CancellationToken.None);
            return refusal;
        }

        return await storing;
    }

    private async Task<StartResult.Stored> StoreRecordAsync(
        StartCommand command, RedisKey numberKey, string? expectedId, long now, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var parts = (RedisResult[])(await redis.EvaluateBeforeDeadlineAsync(
                RedisScripts.StoreRecord, StoreRecordParameters(command, numberKey, expectedId, now), cancellationToken))!;
            switch ((string)parts[0]!)
            {
                case "stored":
                    var previous = (byte[])parts[2]!;
                    return new StartResult.Stored(
                        RedisRecordCodec.Decode((string)parts[3]!, (byte[])parts[1]!),
                        previous.Length == 0 ? null : RedisRecordCodec.Decode((string)parts[4]!, previous),
                        PreviousCooldownUntil: null);
                case "retry" when attempt < StartAttempts:
                    expectedId = (string)parts[1]!;
                    continue;
                default:
                    throw new StoreUnavailableException("The pending verification kept changing under the start.");
            }
        }
    }

    /// <summary>After a failure in round trip 2: whatever was counted or stored is given back, once, if Redis answers.</summary>
    private async Task GiveBackAsync(StartCommand command, Task<StartResult.Stored> storing, Task<StartResult.Throttled?> admission)
    {
        await ((Task)admission).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await ((Task)storing).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!command.Safe && admission.IsCompletedSuccessfully && admission.Result is null)
        {
            await _admissions.TryRefundAllAsync(command);
        }

        try
        {
            await RefundNumberAsync(command, storing.IsCompletedSuccessfully ? storing.Result : null, RedisRecordCodec.Ms(command.Now), CancellationToken.None);
        }
        catch (StoreUnavailableException)
        {
            // The counts stay: they err towards refusing, never towards a code that was not sent.
        }
    }

    public async ValueTask CompleteSendAsync(SendOutcome outcome, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var start = outcome.Start;
        var record = start.Record;
        if (outcome.Delivered)
        {
            MarkSent(record);
            if (outcome.Handoff is { } handoff)
            {
                await RememberHandoffAsync(handoff, now, cancellationToken);
            }

            return;
        }

        await Task.WhenAll(
            RefundNumberAsync(outcome.Command, start, RedisRecordCodec.Ms(now), cancellationToken),
            outcome.Command.Safe ? Task.CompletedTask : _admissions.RefundAsync(outcome.Command));
    }

    /// <summary>
    /// Gives a send back on the number's slot: its counts, and (when <paramref name="stored"/> is still
    /// the current send) its cooldown and record, restoring the one it replaced.
    /// </summary>
    private Task RefundNumberAsync(StartCommand command, StartResult.Stored? stored, long now, CancellationToken cancellationToken)
    {
        var previous = stored?.Previous;
        var storedId = stored?.Record.Id ?? command.NewId;
        return redis.EvaluateAsync(
            RedisScripts.Refund,
            new RedisScripts.RefundParameters(
                keys.Number(command.PhoneNumber), keys.Record(storedId), keys.Record(previous?.Id ?? storedId),
                now, RedisAdmissions.SendIdBytes(command.SendId), command.Safe ? 0 : RedisRecordCodec.Ms(command.Now),
                storedId, command.Purpose, previous?.Id ?? string.Empty,
                previous is null ? RedisValue.EmptyString : RedisRecordCodec.Encode(previous)),
            cancellationToken);
    }

    public async ValueTask<CheckResult> CheckAsync(CheckCommand command, CancellationToken cancellationToken)
    {
        if (!VerificationId.IsWellFormed(command.Id))
        {
            return CheckResult.NotFound.Instance;
        }

        // One msgpack array of [key id, HMAC, transaction fingerprint] per key: a script parameter is one value.
        var hashes = new MessagePackWriter().WriteArrayHeader(command.CodeHashes.Count);
        foreach (var (keyId, hash) in command.CodeHashes)
        {
            hashes.WriteArrayHeader(3).WriteString(keyId).WriteBytes(hash).WriteBytes(command.TransactionFingerprints?.GetValueOrDefault(keyId) ?? []);
        }

        var parameters = new RedisScripts.CheckParameters(
            keys.Record(command.Id), RedisRecordCodec.Ms(command.Now), keys.NumberPrefixForTag(VerificationId.ShardTagOf(command.Id)), command.Id,
            command.CodeLength, command.FitsDigits, command.FitsAlphanumeric, OwnerBytes(command.Owner),
            string.Join(';', command.Lockouts.Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Key}|{l.Value.MaxFailures}|{(long)l.Value.Duration.TotalMilliseconds}"))),
            hashes.ToArray());
        var parts = (RedisResult[])(await redis.EvaluateBeforeDeadlineAsync(RedisScripts.Check, parameters, cancellationToken))!;
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
            RedisScripts.FindLiveId, new RedisScripts.FindLiveIdParameters(keys.Number(phoneNumber), RedisRecordCodec.Ms(now), prefix, OwnerBytes(owner), purpose), cancellationToken);
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
            new RedisScripts.CancelParameters(keys.Record(id), RedisRecordCodec.Ms(now), keys.NumberPrefixForTag(VerificationId.ShardTagOf(id)), id, OwnerBytes(owner)),
            cancellationToken))!;
        return (string)parts[0]! switch
        {
            "notfound" => CancelResult.NotFound.Instance,
            "notpending" => new CancelResult.NotPending(RedisRecordCodec.Decode(id, (byte[])parts[1]!)),
            _ => new CancelResult.Canceled(RedisRecordCodec.Decode(id, (byte[])parts[1]!)),
        };
    }

    public async ValueTask<ReceiptApplication> ApplyReceiptAsync(DeliveryReceipt receipt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var handoffKey = keys.Handoff(receipt.Provider, receipt.ProviderMessageId);
        var handoffParameters = new RedisScripts.HandoffParameters(handoffKey);
        var read = await redis.EvaluateAsync(RedisScripts.ReadHandoff, handoffParameters, cancellationToken);
        if (read.IsNull)
        {
            return ReceiptApplication.Unknown;
        }

        var fields = (RedisResult[])read!;
        var handoff = new DeliveryHandoff(
            receipt.Provider,
            receipt.ProviderMessageId,
            (string)fields[0]!,
            (string)fields[1]!,
            DateTimeOffset.FromUnixTimeMilliseconds((long)fields[2]),
            (string)fields[3]!) { KeepUntil = now };
        var moved = VerificationId.IsWellFormed(handoff.VerificationId)
            && (long)await redis.EvaluateAsync(
                RedisScripts.ApplyDelivery,
                new RedisScripts.ApplyDeliveryParameters(keys.Record(handoff.VerificationId), RedisRecordCodec.Ms(now), RedisAdmissions.SendIdBytes(handoff.SendId), (int)receipt.State),
                cancellationToken) == 1;
        var firstFinal = DeliveryProgress.IsFinal(receipt.State)
            && (long)await redis.EvaluateAsync(RedisScripts.MarkHandoffFinal, handoffParameters, cancellationToken) == 1;
        return new ReceiptApplication(moved ? ReceiptOutcome.Applied : ReceiptOutcome.Stale, handoff, firstFinal);
    }

    /// <summary>One key per message, "id|send id|sent at ms|region|final", kept until the receipt window ends.</summary>
    private async Task RememberHandoffAsync(DeliveryHandoff handoff, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var value = string.Join('|', handoff.VerificationId, handoff.SendId, RedisRecordCodec.Ms(handoff.SentAt).ToString(CultureInfo.InvariantCulture), handoff.RegionCode, "0");
        var keep = handoff.KeepUntil - now;
        if (keep <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            await redis.RunAsync(database => database.StringSetAsync(keys.Handoff(handoff.Provider, handoff.ProviderMessageId), value, keep), cancellationToken);
        }
        catch (StoreUnavailableException exception)
        {
            // The code is out and counted; only its receipts will not find it. Not worth failing the start.
            Log.HandoffFailed(logger, handoff.VerificationId, exception.Message);
        }
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

    private void MarkSent(VerificationRecord record)
    {
        // Not awaited: the SMS is already with the channel, and the call should not wait for a status
        // field. The write goes on the same connection as any later command, so a check sees it.
        _ = redis.EvaluateAsync(RedisScripts.MarkSent, new RedisScripts.MarkSentParameters(keys.Record(record.Id), RedisAdmissions.SendIdBytes(record.LastSendId)), CancellationToken.None)
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

    private RedisScripts.AdmitNumberParameters AdmitNumberParameters(StartCommand command, RedisKey numberKey, long now)
    {
        var policy = command.Policy;

        // The limit across the number's purposes is counted in the number's own state, by this script.
        var acrossPurposes = command.Counters.FirstOrDefault(c => c.Scope == RedisAdmissions.NumberScope)?.Windows ?? [];
        return new(
            numberKey, now, keys.RecordPrefixForTag(VerificationId.ShardTag(command.PhoneNumber)), command.Purpose,
            command.IdempotencyKey ?? string.Empty, OwnerBytes(command.Owner), command.Safe,
            RedisAdmissions.Limits(policy.PhoneLimits), RedisAdmissions.LongestMs(policy.PhoneLimits), (long)policy.ResendCooldown.TotalMilliseconds,
            RedisAdmissions.Limits(acrossPurposes), RedisAdmissions.LongestMs(acrossPurposes));
    }

    private RedisScripts.StoreRecordParameters StoreRecordParameters(StartCommand command, RedisKey numberKey, string? expectedId, long now)
    {
        var policy = command.Policy;
        var fresh = command.CodeForNewId;
        var pending = expectedId is null ? null : command.CodeForExistingId(expectedId);
        return new(
            numberKey, keys.Record(command.NewId), now, keys.RecordPrefixForTag(VerificationId.ShardTag(command.PhoneNumber)),
            command.NewId, expectedId ?? string.Empty, command.IdempotencyKey ?? string.Empty, RedisAdmissions.SendIdBytes(command.SendId),
            (long)policy.ResendCooldown.TotalMilliseconds, (long)policy.Ttl.TotalMilliseconds, policy.KeepPreviousCodeOnResend,
            policy.MaxAttempts, policy.CodeLength, (int)policy.Alphabet, command.Locale, command.PhoneNumber, command.Purpose,
            fresh.KeyId, fresh.Hash, fresh.TransactionFingerprint ?? [],
            pending?.Hash ?? [], pending?.TransactionFingerprint ?? [],
            OwnerBytes(command.Owner), (int)command.Channel);
    }

    private static byte[] OwnerBytes(string owner) => owner.Length == 0 ? [] : Convert.FromHexString(owner);

    private static partial class Log
    {
        [LoggerMessage(600, LogLevel.Warning, "Verification {Id}: could not record the hand-off to the channel ({Error}).")]
        public static partial void MarkSentFailed(ILogger logger, string id, string error);

        [LoggerMessage(601, LogLevel.Warning, "Verification {Id}: could not remember the provider's message id for its receipts ({Error}).")]
        public static partial void HandoffFailed(ILogger logger, string id, string error);
    }
}
