using StackExchange.Redis;
using Verify.Engine.Limits;

namespace Verify.Engine.Storage.Redis;

/// <summary>The admin service's reads and resets on Redis: plain reads of the keys the scripts write, decoded here.</summary>
internal sealed class RedisLimitAdministration(RedisCommandRunner redis, RedisKeys keys, TimeProvider timeProvider) : ILimitAdministration
{
    public async ValueTask<PhoneCounterState> ReadPhoneAsync(string phoneNumber, string purpose, CancellationToken cancellationToken)
    {
        var blob = (byte[]?)await redis.RunAsync(database => database.StringGetAsync(keys.Number(phoneNumber)), cancellationToken);
        if (blob is null)
        {
            return PhoneCounterState.Empty;
        }

        var (state, liveIds) = DecodePurpose(blob, purpose);
        foreach (var liveId in liveIds)
        {
            // While a verification lives, its record holds the latest wrong codes in a row (check.lua).
            var record = (byte[]?)await redis.RunAsync(database => database.StringGetAsync(keys.Record(liveId)), cancellationToken);
            if (record is not null && RedisRecordCodec.Decode(liveId, record) is { FailuresInARow: { } failures } live)
            {
                state = state with
                {
                    FailuresInARow = Math.Max(state.FailuresInARow, failures),
                    LockedOutUntil = live.LockedOutUntil > (state.LockedOutUntil ?? DateTimeOffset.MinValue) ? live.LockedOutUntil : state.LockedOutUntil,
                };
            }
        }

        return state;
    }

    public ValueTask<IReadOnlyList<DateTimeOffset>> ReadIpAsync(string bucket, string purpose, CancellationToken cancellationToken) =>
        ReadTimesAsync(keys.Ip(bucket, purpose), cancellationToken);

    public async ValueTask<IReadOnlyList<DateTimeOffset>> ReadIpWrongCodesAsync(string bucket, CancellationToken cancellationToken) =>
        [.. (await redis.RunAsync(database => database.SortedSetRangeByRankWithScoresAsync(keys.IpWrongCodes(bucket)), cancellationToken)).Select(e => Time((long)e.Score))];

    private async ValueTask<IReadOnlyList<DateTimeOffset>> ReadTimesAsync(RedisKey key, CancellationToken cancellationToken)
    {
        var blob = (byte[]?)await redis.RunAsync(database => database.StringGetAsync(key), cancellationToken);
        if (blob is null)
        {
            return [];
        }

        var reader = new MessagePackReader(blob);
        return ReadTimes(ref reader);
    }

    public async ValueTask<IReadOnlyList<IpCountry>> ReadIpCountriesAsync(string clientIp, CancellationToken cancellationToken)
    {
        var entries = await redis.RunAsync(database => database.HashGetAllAsync(keys.IpCountries(clientIp)), cancellationToken);
        return [.. entries.Select(e => new IpCountry((string)e.Name!, Time(long.Parse(((string)e.Value!).Split(':')[0], System.Globalization.CultureInfo.InvariantCulture))))];
    }

    public async ValueTask<CounterSnapshot> ReadCounterAsync(LimitScope scope, string key, CancellationToken cancellationToken)
    {
        // Counted in the number's own state (see RedisAdmissions), not in a counter of its own.
        if (scope == LimitScope.Number)
        {
            var state = (byte[]?)await redis.RunAsync(database => database.StringGetAsync(keys.Number(key)), cancellationToken);
            return state is null ? CounterSnapshot.Empty : new CounterSnapshot(DecodeAcrossPurposes(state), [], null);
        }

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
        await ResetNumberAsync(phoneNumber, purpose, now, cancellationToken);

    public async ValueTask ResetIpAsync(string clientIp, IReadOnlyCollection<string> purposes, CancellationToken cancellationToken)
    {
        RedisKey[] all = [.. purposes.Select(purpose => keys.Ip(clientIp, purpose)), keys.IpCountries(clientIp), keys.IpWrongCodes(clientIp)];
        await redis.RunAsync(database => database.KeyDeleteAsync(all), cancellationToken);
    }

    public async ValueTask ResetCounterAsync(LimitScope scope, string key, CancellationToken cancellationToken)
    {
        if (scope == LimitScope.Number)
        {
            await ResetNumberAsync(key, string.Empty, timeProvider.GetUtcNow(), cancellationToken);
            return;
        }

        await redis.RunAsync(
            database => database.KeyDeleteAsync([keys.CounterSends(scope, key), keys.CounterApprovals(scope, key), keys.CounterBlock(scope, key)]),
            cancellationToken);
        await redis.RunAsync(database => database.SortedSetRemoveAsync(keys.Blocks(), RedisKeys.BlockMember(scope, key)), cancellationToken);
    }

    public async ValueTask<NumberErasure> ErasePhoneAsync(string phoneNumber, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var tag = Verification.VerificationId.ShardTag(phoneNumber);
        var parts = (RedisResult[])(await redis.EvaluateBeforeDeadlineAsync(
            RedisScripts.EraseNumber,
            new RedisScripts.EraseNumberParameters(keys.Number(tag, phoneNumber), RedisRecordCodec.Ms(now), keys.RecordPrefixForTag(tag)),
            cancellationToken))!;
        var ids = ((RedisResult[])parts[1]!).Select(id => (string)id!).ToList();
        return new NumberErasure(ids, Until((long)parts[2], now));
    }

    public async ValueTask<IReadOnlyList<KeptState>> IpStateAsync(string bucket, IReadOnlyCollection<string> purposes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var named = purposes.Order(StringComparer.Ordinal).Select(purpose => (LimitScope.Ip.Subject(purpose), keys.Ip(bucket, purpose)))
            .Append((ThrottleMessages.IpCountries, keys.IpCountries(bucket)))
            .Append((ThrottleMessages.WrongCodesPerIp, keys.IpWrongCodes(bucket)))
            .ToList();
        var kept = new List<KeptState>();
        foreach (var (what, key) in named)
        {
            var ttl = await redis.RunAsync(database => database.ExecuteAsync("PTTL", key), cancellationToken);
            if (Until((long)ttl, now) is { } until)
            {
                kept.Add(new KeptState(what, until));
            }
        }

        return kept;
    }

    public async ValueTask<DateTimeOffset?> CounterExpiryAsync(LimitScope scope, string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        DateTimeOffset? latest = null;
        foreach (var name in new[] { keys.CounterSends(scope, key), keys.CounterApprovals(scope, key), keys.CounterBlock(scope, key) })
        {
            var ttl = await redis.RunAsync(database => database.ExecuteAsync("PTTL", name), cancellationToken);
            if (Until((long)ttl, now) is { } until && (latest is null || until > latest))
            {
                latest = until;
            }
        }

        return latest;
    }

    /// <summary>A key's end from its PTTL: null when it is gone (-2); a key without an expiry (-1) should not exist, and is shown as kept for good.</summary>
    private static DateTimeOffset? Until(long pttl, DateTimeOffset now) =>
        pttl switch
        {
            -2 => null,
            < 0 => DateTimeOffset.MaxValue,
            _ => now.AddMilliseconds(pttl),
        };

    public async ValueTask<IReadOnlyList<BlockEntry>> ListBlocksAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var entries = await redis.RunAsync(
            database => database.SortedSetRangeByScoreWithScoresAsync(keys.Blocks(), RedisRecordCodec.Ms(now), double.PositiveInfinity, Exclude.Start),
            cancellationToken);
        var blocks = new List<BlockEntry>(entries.Length);
        foreach (var entry in entries)
        {
            // Only prefixes and countries are ever blocked; a member naming no scope this release knows is one it could not lift either.
            if (((string)entry.Element!).Split('|', 2) is [var name, var key] && LimitScope.TryParse(name, out var scope))
            {
                blocks.Add(new BlockEntry(scope, key, Time((long)entry.Score)));
            }
        }

        return blocks;
    }

    public async ValueTask<bool> UnblockAsync(LimitScope scope, string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var until = await redis.RunAsync(database => database.StringGetAsync(keys.CounterBlock(scope, key)), cancellationToken);
        await redis.RunAsync(database => database.KeyDeleteAsync(keys.CounterBlock(scope, key)), cancellationToken);
        await redis.RunAsync(database => database.SortedSetRemoveAsync(keys.Blocks(), RedisKeys.BlockMember(scope, key)), cancellationToken);
        return !until.IsNull && (long)until > RedisRecordCodec.Ms(now);
    }

    private async Task ResetNumberAsync(string phoneNumber, string purpose, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var tag = Verification.VerificationId.ShardTag(phoneNumber);
        await redis.EvaluateAsync(
            RedisScripts.ResetNumber,
            new RedisScripts.ResetNumberParameters(keys.Number(tag, phoneNumber), RedisRecordCodec.Ms(now), purpose, keys.RecordPrefixForTag(tag)),
            cancellationToken);
    }

    /// <summary>A number's state: msgpack { purposes, send times across purposes }; see <see cref="RedisScripts"/>.</summary>
    /// <summary>
    /// A purpose's counters over its entry and every caller's slot of it (<c>login#</c> and the owner tag's bytes,
    /// prelude.lua's slot_of; only the purpose part is read as text): the shared send times, and the longest cooldown and lockout and most wrong codes in a row of any caller.
    /// </summary>
    private static (PhoneCounterState State, List<string> LiveIds) DecodePurpose(byte[] blob, string purpose)
    {
        var reader = new MessagePackReader(blob);
        reader.ReadArrayHeader();
        var (sends, cooldown, failures, lockedUntil, liveIds) = (new List<DateTimeOffset>(), 0L, 0L, 0L, new List<string>());
        for (var entries = reader.ReadMapHeader(); entries > 0; entries--)
        {
            var slot = reader.ReadString();
            if (slot != purpose && !slot.StartsWith(purpose + "#", StringComparison.Ordinal))
            {
                reader.Skip();
                continue;
            }

            // { live id's bytes or false, cooldown end, send times, wrong codes in a row, locked out until }
            reader.ReadArrayHeader();
            if (!reader.TryReadAbsent())
            {
                liveIds.Add("VE" + Convert.ToHexStringLower(reader.ReadBytes()));
            }

            cooldown = Math.Max(cooldown, reader.ReadInt64());
            sends.AddRange(ReadTimes(ref reader));
            failures = Math.Max(failures, reader.ReadInt64());
            lockedUntil = Math.Max(lockedUntil, reader.ReadInt64());
        }

        sends.Sort();
        return (new PhoneCounterState(sends, cooldown > 0 ? Time(cooldown) : null, (int)failures, lockedUntil > 0 ? Time(lockedUntil) : null), liveIds);
    }

    private static List<DateTimeOffset> DecodeAcrossPurposes(byte[] blob)
    {
        var reader = new MessagePackReader(blob);
        reader.ReadArrayHeader();
        reader.Skip();
        return ReadTimes(ref reader);
    }

    private static List<DateTimeOffset> ReadTimes(ref MessagePackReader reader)
    {
        var count = reader.ReadArrayHeader();
        var times = new List<DateTimeOffset>(count);
        for (var i = 0; i < count; i++)
        {
            times.Add(Time(reader.ReadInt64()));
        }

        return times;
    }

    private static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
