using StackExchange.Redis;
using Verify.Engine.Verification;

namespace Verify.Engine.Storage.Redis;

/// <summary>A start: the number's script (limits and record, one round trip), the limits on other slots, the hand-off, and the refund when a send is refused or fails.</summary>
internal sealed partial class RedisVerificationStore
{
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
                previous is null ? RedisValue.EmptyString : RedisRecordCodec.Encode(previous), OwnerBytes(command.Owner), options.CurrentValue.StatePerCaller),
            cancellationToken);
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
            command.Code.KeyId, command.Code.Hash, command.Code.TransactionFingerprint ?? [], (int)command.Channel,
            options.CurrentValue.WrongCodesInRecord, options.CurrentValue.StatePerCaller);
    }
}
