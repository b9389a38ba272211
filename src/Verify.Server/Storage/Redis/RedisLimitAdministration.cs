using StackExchange.Redis;

namespace Verify.Server.Storage.Redis;

/// <summary>The admin service's reads and resets on Redis: plain reads of the keys the scripts write, decoded here.</summary>
internal sealed class RedisLimitAdministration(RedisCommandRunner redis, RedisKeys keys) : ILimitAdministration
{
    public async ValueTask<PhoneCounterState> ReadPhoneAsync(string phoneNumber, string purpose, CancellationToken cancellationToken)
    {
        var blob = (byte[]?)await redis.RunAsync(database => database.StringGetAsync(keys.Phone(phoneNumber, purpose)), cancellationToken);
        return blob is null ? PhoneCounterState.Empty : DecodePhone(blob);
    }

    public async ValueTask<IReadOnlyList<DateTimeOffset>> ReadIpAsync(string clientIp, string purpose, CancellationToken cancellationToken)
    {
        var blob = (byte[]?)await redis.RunAsync(database => database.StringGetAsync(keys.Ip(clientIp, purpose)), cancellationToken);
        if (blob is null)
        {
            return [];
        }

        var reader = new MessagePackReader(blob);
        return ReadLog(ref reader);
    }

    public async ValueTask<IReadOnlyList<IpCountry>> ReadIpCountriesAsync(string clientIp, CancellationToken cancellationToken)
    {
        var entries = await redis.RunAsync(database => database.HashGetAllAsync(keys.IpCountries(clientIp)), cancellationToken);
        return [.. entries.Select(e => new IpCountry((string)e.Name!, Time(long.Parse(((string)e.Value!).Split(':')[0], System.Globalization.CultureInfo.InvariantCulture))))];
    }

    public async ValueTask<CounterSnapshot> ReadCounterAsync(string scope, string key, CancellationToken cancellationToken)
    {
        var sends = redis.RunAsync(database => database.SortedSetRangeByRankWithScoresAsync(keys.CounterSends(scope, key)), cancellationToken);
        var approvals = redis.RunAsync(database => database.SortedSetRangeByRankWithScoresAsync(keys.CounterApprovals(scope, key)), cancellationToken);
        var block = redis.RunAsync(database => database.StringGetAsync(keys.CounterBlock(scope, key)), cancellationToken);
        await Task.WhenAll(sends, approvals, block);
        return new CounterSnapshot(
            [.. (await sends).Select(e => Time((long)e.Score))],
            [.. (await approvals).Select(e => Time((long)e.Score))],
            (await block).IsNull ? null : Time((long)(await block)));
    }

    public async ValueTask ResetPhoneAsync(string phoneNumber, string purpose, DateTimeOffset now, CancellationToken cancellationToken) =>
        await redis.EvaluateAsync(RedisScripts.ResetPhone, [keys.Phone(phoneNumber, purpose)], [RedisRecordCodec.Ms(now)], cancellationToken);

    public async ValueTask ResetIpAsync(string clientIp, IReadOnlyCollection<string> purposes, CancellationToken cancellationToken)
    {
        RedisKey[] all = [.. purposes.Select(purpose => keys.Ip(clientIp, purpose)), keys.IpCountries(clientIp)];
        await redis.RunAsync(database => database.KeyDeleteAsync(all), cancellationToken);
    }

    public async ValueTask ResetCounterAsync(string scope, string key, CancellationToken cancellationToken)
    {
        await redis.RunAsync(
            database => database.KeyDeleteAsync([keys.CounterSends(scope, key), keys.CounterApprovals(scope, key), keys.CounterBlock(scope, key)]),
            cancellationToken);
        await redis.RunAsync(database => database.SortedSetRemoveAsync(keys.Blocks(), $"{scope}|{key}"), cancellationToken);
    }

    public async ValueTask<IReadOnlyList<BlockEntry>> ListBlocksAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var entries = await redis.RunAsync(
            database => database.SortedSetRangeByScoreWithScoresAsync(keys.Blocks(), RedisRecordCodec.Ms(now), double.PositiveInfinity, Exclude.Start),
            cancellationToken);
        return [.. entries.Select(e => ((string)e.Element!).Split('|', 2) is [var scope, var key] ? new BlockEntry(scope, key, Time((long)e.Score)) : null!)];
    }

    public async ValueTask<bool> UnblockAsync(string scope, string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var until = await redis.RunAsync(database => database.StringGetAsync(keys.CounterBlock(scope, key)), cancellationToken);
        await redis.RunAsync(database => database.KeyDeleteAsync(keys.CounterBlock(scope, key)), cancellationToken);
        await redis.RunAsync(database => database.SortedSetRemoveAsync(keys.Blocks(), $"{scope}|{key}"), cancellationToken);
        return !until.IsNull && (long)until > RedisRecordCodec.Ms(now);
    }

    /// <summary>A number's state: msgpack { id bytes or false, cooldown end, log (at, tag, …), wrong codes in a row, locked until }.</summary>
    private static PhoneCounterState DecodePhone(byte[] blob)
    {
        var reader = new MessagePackReader(blob);
        var fields = reader.ReadArrayHeader();
        if (!reader.TryReadAbsent())
        {
            reader.ReadBytes();
        }

        var cooldown = reader.ReadInt64();
        var sends = ReadLog(ref reader);
        var failures = fields > 3 ? reader.ReadInt64() : 0;
        var lockedUntil = fields > 4 ? reader.ReadInt64() : 0;
        return new PhoneCounterState(sends, cooldown > 0 ? Time(cooldown) : null, (int)failures, lockedUntil > 0 ? Time(lockedUntil) : null);
    }

    private static List<DateTimeOffset> ReadLog(ref MessagePackReader reader)
    {
        var count = reader.ReadArrayHeader() / 2;
        var sends = new List<DateTimeOffset>(count);
        for (var i = 0; i < count; i++)
        {
            sends.Add(Time(reader.ReadInt64()));
            reader.ReadBytes();
        }

        return sends;
    }

    private static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
