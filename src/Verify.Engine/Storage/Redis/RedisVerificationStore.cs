using Verify.Engine.Codes;
using System.Globalization;
using StackExchange.Redis;
using Verify.Delivery.Providers;
using Verify.Engine.Throttling;
using Verify.Engine.Verification;

namespace Verify.Engine.Storage.Redis;

/// <summary>
/// The production store: all state in Redis, so any number of replicas behave as one. Each state
/// change is one Lua script (<see cref="RedisScripts"/>). A check, by id or by number and purpose, is
/// one round trip; a start is two (the number's script, then the limits on other slots side by side)
/// and a third only when one of those refuses after the number's script counted it; the hand-off to
/// the sender is recorded in one write.
/// </summary>
internal sealed partial class RedisVerificationStore(RedisCommandRunner redis, RedisKeys keys, ILogger<RedisVerificationStore> logger) : IVerificationStore
{
    private readonly RedisAdmissions _admissions = new(redis, keys);
    private volatile EncodedLockoutRules? _lockouts;

    public async ValueTask<StartResult> StartAsync(StartCommand command, CancellationToken cancellationToken)
    {
        var now = RedisRecordCodec.Ms(command.Now);

        // Round trip 1: the number's own limits checked and counted and the record written, in one script
        // on its slot, so a burst to one number is refused before it touches any counter shared with others.
        var parts = (RedisResult[])(await redis.EvaluateBeforeDeadlineAsync(RedisScripts.Start, StartParameters(command, now), cancellationToken))!;
        switch ((string)parts[0]!)
        {
            case "replayed":
                return new StartResult.Replayed(RedisRecordCodec.Decode((string)parts[2]!, (byte[])parts[1]!));
            case "throttled":
                var subject = (string)parts[1]!;
                return new StartResult.Throttled(subject, ThrottleMessages.Describe(subject, command), TimeSpan.FromMilliseconds(Math.Max(0, (long)parts[2])));
        }

        var previous = (byte[])parts[2]!;
        var stored = new StartResult.Stored(
            RedisRecordCodec.Decode((string)parts[3]!, (byte[])parts[1]!),
            previous.Length == 0 ? null : RedisRecordCodec.Decode((string)parts[4]!, previous),
            PreviousCooldownUntil: null);
        if (command.Safe)
        {
            return stored;
        }

        // Round trip 2: the limits on other slots (client IP, counters across purposes), side by side.
        StartResult.Throttled? refusal;
        try
        {
            refusal = await _admissions.AdmitAsync(command, now, cancellationToken);
        }
        catch (Exception exception) when (exception is StoreUnavailableException or OperationCanceledException)
        {
            // The admissions gave back what they counted; the number's counts and record go back too, if
            // Redis answers. If not, they stay: that errs towards refusing, never towards a code not sent.
            try
            {
                await RefundNumberAsync(command, stored, now, CancellationToken.None);
            }
            catch (StoreUnavailableException)
            {
            }

            throw;
        }

        if (refusal is not null)
        {
            await RefundNumberAsync(command, stored, now, CancellationToken.None);
            return refusal;
        }

        return stored;
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

    public async ValueTask<CheckOutcome> CheckAsync(CheckCommand command, CancellationToken cancellationToken)
    {
        string tag;
        RedisKey key;
        if (command.Id is { } id)
        {
            if (!VerificationId.IsWellFormed(id))
            {
                return CheckOutcome.NotFound.Instance;
            }

            tag = VerificationId.ShardTagOf(id);
            key = keys.Record(tag, id);
        }
        else
        {
            tag = VerificationId.ShardTag(command.PhoneNumber!);
            key = keys.Number(tag, command.PhoneNumber!);
        }

        var parameters = new RedisScripts.CheckParameters(
            key, RedisRecordCodec.Ms(command.Now), command.Id ?? string.Empty, command.Purpose ?? string.Empty,
            keys.RecordPrefixForTag(tag), keys.NumberPrefixForTag(tag),
            command.CodeLength, command.FitsDigits, command.FitsAlphanumeric, OwnerBytes(command.Owner),
            EncodedLockouts(command.Lockouts),
            Pack(command.Hashes), command.LegacyHashes is { } legacy ? Pack(legacy) : []);
        var parts = (RedisResult[])(await redis.EvaluateBeforeDeadlineAsync(RedisScripts.Check, parameters, cancellationToken))!;
        return (string)parts[0]! switch
        {
            "notfound" => CheckOutcome.NotFound.Instance,
            "malformed" => new CheckOutcome.Malformed((int)parts[1]),
            "legacy" => new CheckOutcome.Legacy((string)parts[1]!),
            "throttled" => new CheckOutcome.Throttled(
                (string)parts[1]!, ThrottleMessages.LockedOut((int)parts[3]), TimeSpan.FromMilliseconds(Math.Max(0, (long)parts[2]))),
            _ => new CheckOutcome.Checked((int)parts[1] == 1, RedisRecordCodec.Decode((string)parts[3]!, (byte[])parts[2]!)),
        };
    }

    /// <summary>"purpose|max|ms;...", built once per policy set (the catalog hands out the same dictionary until a reload).</summary>
    private string EncodedLockouts(IReadOnlyDictionary<string, LockoutRule> lockouts)
    {
        var cached = _lockouts;
        if (cached?.Source == lockouts)
        {
            return cached.Encoded;
        }

        var encoded = string.Join(';', lockouts.Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Key}|{l.Value.MaxFailures}|{(long)l.Value.Duration.TotalMilliseconds}")));
        _lockouts = new EncodedLockoutRules(lockouts, encoded);
        return encoded;
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

    public async ValueTask<CancelOutcome> CancelAsync(string id, string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!VerificationId.IsWellFormed(id))
        {
            return CancelOutcome.NotFound.Instance;
        }

        var parts = (RedisResult[])(await redis.EvaluateBeforeDeadlineAsync(
            RedisScripts.Cancel,
            new RedisScripts.CancelParameters(keys.Record(id), RedisRecordCodec.Ms(now), keys.NumberPrefixForTag(VerificationId.ShardTagOf(id)), id, OwnerBytes(owner)),
            cancellationToken))!;
        return (string)parts[0]! switch
        {
            "notfound" => CancelOutcome.NotFound.Instance,
            "notpending" => new CancelOutcome.NotPending(RedisRecordCodec.Decode(id, (byte[])parts[1]!)),
            _ => new CancelOutcome.Canceled(RedisRecordCodec.Decode(id, (byte[])parts[1]!)),
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

    private RedisScripts.StartParameters StartParameters(StartCommand command, long now)
    {
        var policy = command.Policy;
        var tag = VerificationId.ShardTag(command.PhoneNumber);

        // The limit across the number's purposes is counted in the number's own state, by this script.
        var acrossPurposes = command.Counters.FirstOrDefault(c => c.Scope == Limits.LimitScope.Number)?.Windows ?? [];
        return new(
            keys.Number(tag, command.PhoneNumber), now, keys.RecordPrefixForTag(tag), command.NewId,
            command.IdempotencyKey ?? string.Empty, RedisAdmissions.SendIdBytes(command.SendId), OwnerBytes(command.Owner), command.Safe,
            RedisAdmissions.Limits(policy.PhoneLimits), RedisAdmissions.LongestMs(policy.PhoneLimits),
            RedisAdmissions.Limits(acrossPurposes), RedisAdmissions.LongestMs(acrossPurposes),
            (long)policy.ResendCooldown.TotalMilliseconds, (long)policy.Ttl.TotalMilliseconds, policy.KeepPreviousCodeOnResend,
            policy.MaxAttempts, policy.CodeLength, (int)policy.Alphabet, command.Locale, command.PhoneNumber, command.Purpose,
            command.Code.KeyId, command.Code.Hash, command.Code.TransactionFingerprint ?? [], (int)command.Channel);
    }

    /// <summary>One msgpack array of [key id, HMAC, transaction fingerprint or ""] per key: a script parameter is one value.</summary>
    private static byte[] Pack(IReadOnlyList<KeyedHash> hashes)
    {
        var packed = new MessagePackWriter().WriteArrayHeader(hashes.Count);
        foreach (var hash in hashes)
        {
            packed.WriteArrayHeader(3).WriteString(hash.KeyId).WriteBytes(hash.Code).WriteBytes(hash.Transaction ?? []);
        }

        return packed.ToArray();
    }

    private static byte[] OwnerBytes(string owner) => owner.Length == 0 ? [] : Convert.FromHexString(owner);

    private sealed record EncodedLockoutRules(IReadOnlyDictionary<string, LockoutRule> Source, string Encoded);

    private static partial class Log
    {
        [LoggerMessage(600, LogLevel.Warning, "Verification {Id}: could not record the hand-off to the channel ({Error}).")]
        public static partial void MarkSentFailed(ILogger logger, string id, string error);

        [LoggerMessage(601, LogLevel.Warning, "Verification {Id}: could not remember the provider's message id for its receipts ({Error}).")]
        public static partial void HandoffFailed(ILogger logger, string id, string error);
    }
}
