using Verify.Engine.Verification;
using System.Globalization;
using StackExchange.Redis;
using Verify.Engine.Configuration;
using Verify.Engine.Limits;
using Verify.Engine.Throttling;

namespace Verify.Engine.Storage.Redis;

/// <summary>
/// The limits of a start that live outside the number's hash slot: the client IP (windows and
/// distinct countries) and every counter across purposes (number, country, prefix, caller, global,
/// with the pumping guard). They are asked side by side, in the same round trip as the read of the
/// number's pending id; each counts the send as it admits it. When one refuses, or the number's own
/// script does, the others give the send back, so a refused start leaves every counter as it was.
/// </summary>
internal sealed class RedisAdmissions(RedisCommandRunner redis, RedisKeys keys)
{
    /// <summary>Null when every limit admitted (and counted) the send; else the first refusal, in a fixed order, with nothing left counted.</summary>
    public async Task<StartResult.Throttled?> AdmitAsync(StartCommand command, long now, CancellationToken cancellationToken)
    {
        var asked = new List<(Task<RedisResult> Answer, Func<Task> Refund)>(1 + command.Counters.Count);
        if (IpKey(command) is { } ipKey)
        {
            var countries = command.CountriesPerIp;
            asked.Add((redis.EvaluateBeforeDeadlineAsync(
                    RedisScripts.AdmitIp,
                    new RedisScripts.AdmitIpParameters(
                        ipKey, keys.IpCountries(command.ClientIp!), now, SendTag(command.SendId), Limits(command.Policy.IpLimits),
                        LongestMs(command.Policy.IpLimits), command.Country, (long)(countries?.Window.TotalMilliseconds ?? 1), countries?.Max ?? 0),
                    cancellationToken),
                () => RefundIpAsync(command)));
        }

        foreach (var counter in Counters(command))
        {
            asked.Add((redis.EvaluateBeforeDeadlineAsync(
                    RedisScripts.AdmitCounter,
                    new RedisScripts.AdmitCounterParameters(
                        keys.CounterSends(counter.Scope, counter.Key), keys.CounterApprovals(counter.Scope, counter.Key), keys.CounterBlock(counter.Scope, counter.Key),
                        now, SendIdBytes(command.SendId), counter.Scope.Name, Limits(counter.Windows), KeepMs(counter), Pumping(counter.Pumping)),
                    cancellationToken),
                () => RefundCounterAsync(command, counter)));
        }

        try
        {
            await Task.WhenAll(asked.Select(a => a.Answer));
        }
        catch (Exception exception) when (exception is StoreUnavailableException or OperationCanceledException)
        {
            await TryRefundAsync(asked.Where(a => a.Answer.IsCompletedSuccessfully && IsAdmitted(a.Answer.Result)).Select(a => a.Refund));
            throw;
        }

        var refusals = asked.Select(a => (RedisResult[])a.Answer.Result!).Where(parts => (string)parts[0]! == "throttled").ToList();
        if (refusals.Count == 0)
        {
            return null;
        }

        await TryRefundAsync(asked.Where(a => IsAdmitted(a.Answer.Result)).Select(a => a.Refund));

        // Every block this start set is indexed, logged and counted, not only the one the refusal names.
        var newBlocks = new List<string>();
        foreach (var parts in refusals.Where(parts => parts.Length > 3 && (int)parts[3] == 1))
        {
            var blockSubject = (string)parts[1]!;
            newBlocks.Add(blockSubject);
            if (Counters(command).FirstOrDefault(c => blockSubject == c.Scope.Subject(LimitScope.Pumping)) is { } blocked)
            {
                await IndexBlockAsync(blocked, now + (long)parts[2], now);
            }
        }

        var first = refusals[0];
        var subject = (string)first[1]!;
        return new StartResult.Throttled(subject, ThrottleMessages.Describe(subject, command), TimeSpan.FromMilliseconds(Math.Max(0, (long)first[2])))
        {
            NewBlocks = newBlocks,
        };
    }

    /// <summary>Gives back every count a start's admissions made (a refused start, a failed send).</summary>
    public Task RefundAsync(StartCommand command) =>
        Task.WhenAll(Counters(command).Select(c => RefundCounterAsync(command, c)).Append(IpKey(command) is null ? Task.CompletedTask : RefundIpAsync(command)));

    /// <summary>After a failure: tried once; if Redis is gone too, the counts stay (erring towards refusing).</summary>
    public Task TryRefundAllAsync(StartCommand command) =>
        TryRefundAsync(Counters(command).Select(c => (Func<Task>)(() => RefundCounterAsync(command, c))).Append(() => IpKey(command) is null ? Task.CompletedTask : RefundIpAsync(command)));

    /// <summary>Null when the guess (<paramref name="member"/>) is counted against the client IP's wrong codes; else the refusal, with nothing counted.</summary>
    public async Task<CheckOutcome.Throttled?> AdmitWrongCodeAsync(string bucket, byte[] member, IReadOnlyList<WindowLimit> limits, long now, CancellationToken cancellationToken)
    {
        var parts = (RedisResult[])(await redis.EvaluateBeforeDeadlineAsync(
            RedisScripts.AdmitWrongCode, new RedisScripts.AdmitWrongCodeParameters(keys.IpWrongCodes(bucket), now, member, Limits(limits), LongestMs(limits)), cancellationToken))!;
        if ((string)parts[0]! != "throttled")
        {
            return null;
        }

        var window = (string)parts[1]!;
        return new CheckOutcome.Throttled(
            ThrottleMessages.WrongCodesPerIp, ThrottleMessages.WrongCodes(bucket, limits.First(l => l.Name == window)), TimeSpan.FromMilliseconds(Math.Max(0, (long)parts[2])));
    }

    /// <summary>Takes back a guess <see cref="AdmitWrongCodeAsync"/> counted that was not a wrong code.</summary>
    public Task RefundWrongCodeAsync(string bucket, byte[] member) =>
        redis.EvaluateAsync(RedisScripts.RefundCounter, new RedisScripts.RefundCounterParameters(keys.IpWrongCodes(bucket), member), CancellationToken.None);

    public Task RecordApprovalAsync(IReadOnlyList<CounterLimit> counters, string approvalId, long now, CancellationToken cancellationToken) =>
        Task.WhenAll(counters.Where(c => c.Pumping is not null).Select(counter => redis.EvaluateAsync(
            RedisScripts.RecordApproval,
            new RedisScripts.RecordApprovalParameters(keys.CounterApprovals(counter.Scope, counter.Key), now, approvalId, (long)counter.Pumping!.Window.TotalMilliseconds),
            cancellationToken)));

    public static string Limits(IReadOnlyList<WindowLimit> limits) =>
        string.Join(';', limits.Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Name}|{(long)l.Window.TotalMilliseconds}|{l.Max}")));

    public static long LongestMs(IReadOnlyList<WindowLimit> limits) =>
        limits.Count == 0 ? 1 : (long)limits.Max(l => l.Window).TotalMilliseconds;

    // Enough of the send id to tell the entries of one small log apart (tens at most): its first 4
    // bytes, as bytes, because every entry of a number's or an IP's log costs Redis memory.
    public static byte[] SendTag(string sendId) => Convert.FromHexString(sendId.AsSpan(0, 8));

    public static byte[] SendIdBytes(string sendId) => Convert.FromHexString(sendId);

    // The counter across a number's purposes lives in the number's own state, counted by its start script, not here.
    private static IEnumerable<CounterLimit> Counters(StartCommand command) => command.Counters.Where(c => c.Scope != LimitScope.Number);

    private RedisKey? IpKey(StartCommand command) =>
        command.ClientIp is { } ip && (command.Policy.IpLimits.Count > 0 || command.CountriesPerIp is not null) ? keys.Ip(ip, command.Purpose) : (RedisKey?)null;

    private Task RefundIpAsync(StartCommand command) =>
        redis.EvaluateAsync(
            RedisScripts.RefundIp,
            new RedisScripts.RefundIpParameters(
                keys.Ip(command.ClientIp!, command.Purpose), keys.IpCountries(command.ClientIp!), RedisRecordCodec.Ms(command.Now), SendTag(command.SendId), command.Country),
            CancellationToken.None);

    private Task RefundCounterAsync(StartCommand command, CounterLimit counter) =>
        redis.EvaluateAsync(
            RedisScripts.RefundCounter, new RedisScripts.RefundCounterParameters(keys.CounterSends(counter.Scope, counter.Key), SendIdBytes(command.SendId)), CancellationToken.None);

    // The block itself lives on the counter's slot; this index (its own slot) lets the admin service list them.
    private async Task IndexBlockAsync(CounterLimit counter, long until, long now)
    {
        try
        {
            await redis.RunAsync(async database =>
            {
                await database.SortedSetRemoveRangeByScoreAsync(keys.Blocks(), double.NegativeInfinity, now);
                return await database.SortedSetAddAsync(keys.Blocks(), RedisKeys.BlockMember(counter.Scope, counter.Key), until);
            }, CancellationToken.None);
        }
        catch (StoreUnavailableException)
        {
            // The block holds without its index entry; it only goes missing from the admin list.
        }
    }

    private static bool IsAdmitted(RedisResult result) => (string)((RedisResult[])result!)[0]! == "admitted";

    private static async Task TryRefundAsync(IEnumerable<Func<Task>> refunds)
    {
        try
        {
            await Task.WhenAll(refunds.Select(refund => refund()));
        }
        catch (StoreUnavailableException)
        {
        }
    }

    private static long KeepMs(CounterLimit counter) =>
        Math.Max(LongestMs(counter.Windows), (long)(counter.Pumping?.Window.TotalMilliseconds ?? 0));

    private static string Pumping(PumpingRule? rule) => rule is null
        ? string.Empty
        : string.Create(CultureInfo.InvariantCulture,
            $"{(long)rule.Window.TotalMilliseconds}|{(long)rule.SettleTime.TotalMilliseconds}|{rule.MinSends}|{rule.MinConversion:0.######}|{(long)rule.BlockFor.TotalMilliseconds}");
}
