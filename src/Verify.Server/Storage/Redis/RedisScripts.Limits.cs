using StackExchange.Redis;

namespace Verify.Server.Storage.Redis;

/// <summary>The scripts of the limits that live outside a number's slot: the client IP and the counters across purposes.</summary>
internal static partial class RedisScripts
{
    /// <summary>
    /// The per-IP windows and the distinct destination countries of one client IP, on the IP's own
    /// slot (<see cref="AdmitIpParameters"/>). A country counts for a window after its first code.
    /// Returns {'late'} | {'admitted'} (and counts the send) | {'throttled', subject, retry ms}.
    /// </summary>
    public static readonly LuaScript AdmitIp = LuaScript.Prepare(Prelude + """
        if too_late(@Deadline) then return { 'late' } end
        local T, C = @Times, @Countries
        local now, tag, limits, longest = tonumber(@Now), @Tag, @Limits, tonumber(@LongestMs)
        local country, countries_window, max_countries = @Country, tonumber(@CountriesWindowMs), tonumber(@MaxCountries)
        local times = times_prune(times_read(T), now - longest)
        local name, retry = times_first_exceeded(times, now, limits)
        if name then return { 'throttled', 'ip:' .. name, retry } end

        local add_country = false
        if max_countries > 0 then
          local seen = redis.call('HGETALL', C)
          local live, oldest = 0, nil
          for i = 1, #seen, 2 do
            local at = tonumber(string.match(seen[i + 1], '^(%d+)'))
            if at <= now - countries_window then
              redis.call('HDEL', C, seen[i])
            elseif seen[i] ~= country then
              live = live + 1
              if oldest == nil or at < oldest then oldest = at end
            end
          end
          if redis.call('HEXISTS', C, country) == 0 then
            if live >= max_countries then return { 'throttled', 'ip:countries', oldest + countries_window - now } end
            add_country = true
          end
        end

        if #limits > 0 then
          times[#times + 1] = now
          redis.call('SET', T, cmsgpack.pack(times), 'PX', math.max(1, longest))
        end
        if add_country then
          redis.call('HSET', C, country, fmt(now) .. ':' .. tag)
          redis.call('PEXPIRE', C, countries_window)
        end
        return { 'admitted' }
        """);

    /// <param name="Times">The IP's send times.</param>
    /// <param name="Countries">Its countries: hash of country → "ms:send tag" of the send that first reached it.</param>
    /// <param name="Tag">The send's tag (4 bytes).</param>
    /// <param name="Limits">The IP windows, "name|windowMs|max;..."</param>
    /// <param name="MaxCountries">Distinct countries allowed in the countries window; 0: off.</param>
    public sealed record AdmitIpParameters(
        RedisKey Times, RedisKey Countries, long Now, byte[] Tag, string Limits, long LongestMs, string Country, long CountriesWindowMs, int MaxCountries)
        : GuardedParameters;

    /// <summary>Takes one counted send back from a client IP.</summary>
    public static readonly LuaScript RefundIp = LuaScript.Prepare(Prelude + """
        local T, C, tag, country = @Times, @Countries, @Tag, @Country
        local times = times_remove_one(times_read(T), tonumber(@SendTime))
        if #times == 0 then
          redis.call('DEL', T)
        else
          redis.call('SET', T, cmsgpack.pack(times), 'KEEPTTL')
        end
        local seen = redis.call('HGET', C, country)
        if seen and string.sub(seen, -#tag) == tag then redis.call('HDEL', C, country) end
        return 1
        """);

    public sealed record RefundIpParameters(RedisKey Times, RedisKey Countries, long SendTime, byte[] Tag, string Country);

    /// <summary>
    /// One counter across purposes (number, country, prefix, caller, global) on its own slot: a sorted
    /// set of sends (scored by time), exact over any window and cheap however many it holds; for
    /// prefixes and countries also the pumping guard (<see cref="AdmitCounterParameters"/>). Returns
    /// {'late'} | {'admitted'} | {'throttled', subject, retry ms, 1 when this start set a pumping block else 0}.
    /// </summary>
    public static readonly LuaScript AdmitCounter = LuaScript.Prepare(Prelude + """
        if too_late(@Deadline) then return { 'late' } end
        local S, A, B = @Sends, @Approvals, @Block
        local now, member, scope, limits, keep = tonumber(@Now), @Member, @Scope, @Limits, tonumber(@KeepMs)
        local pumping = @Pumping
        local blocked = tonumber(redis.call('GET', B) or '0')
        if blocked > now then return { 'throttled', scope .. ':pumping', blocked - now, 0 } end
        redis.call('ZREMRANGEBYSCORE', S, '-inf', now - keep)
        for name, window, max in string.gmatch(limits, '([^|;]+)|(%d+)|(%d+)') do
          window = tonumber(window)
          local after = '(' .. fmt(now - window)
          if redis.call('ZCOUNT', S, after, '+inf') >= tonumber(max) then
            local oldest = redis.call('ZRANGEBYSCORE', S, after, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
            return { 'throttled', scope .. ':' .. name, math.min(tonumber(oldest[2]) + window - now, window), 0 }
          end
        end
        if pumping ~= '' then
          local window, settle, min_sends, min_conversion, block = string.match(pumping, '^(%d+)|(%d+)|(%d+)|([%d.]+)|(%d+)$')
          window, settle, block = tonumber(window), tonumber(settle), tonumber(block)
          local settled = redis.call('ZCOUNT', S, '(' .. fmt(now - window), fmt(now - settle))
          redis.call('ZREMRANGEBYSCORE', A, '-inf', now - window)
          local approved = redis.call('ZCARD', A)
          if settled >= tonumber(min_sends) and approved < tonumber(min_conversion) * settled then
            redis.call('SET', B, fmt(now + block), 'PX', block)
            return { 'throttled', scope .. ':pumping', block, 1 }
          end
        end
        redis.call('ZADD', S, now, member)
        redis.call('PEXPIRE', S, keep)
        return { 'admitted' }
        """);

    /// <param name="Sends">The counter's sends; <paramref name="Approvals"/> its approvals; <paramref name="Block"/> its pumping block.</param>
    /// <param name="Member">The send id (8 bytes).</param>
    /// <param name="Limits">"name|windowMs|max;..."</param>
    /// <param name="KeepMs">How long sends are kept.</param>
    /// <param name="Pumping">"window|settle|min sends|min conversion|block ms", or "".</param>
    public sealed record AdmitCounterParameters(
        RedisKey Sends, RedisKey Approvals, RedisKey Block, long Now, byte[] Member, string Scope, string Limits, long KeepMs, string Pumping)
        : GuardedParameters;

    /// <summary>Takes one counted send (its send id) back from a counter's sends.</summary>
    public static readonly LuaScript RefundCounter = LuaScript.Prepare("""
        redis.call('ZREM', @Sends, @Member)
        return 1
        """);

    public sealed record RefundCounterParameters(RedisKey Sends, byte[] Member);

    /// <summary>One approval for the pumping guard, kept <c>KeepMs</c>.</summary>
    public static readonly LuaScript RecordApproval = LuaScript.Prepare("""
        local now, keep = tonumber(@Now), tonumber(@KeepMs)
        redis.call('ZREMRANGEBYSCORE', @Approvals, '-inf', now - keep)
        redis.call('ZADD', @Approvals, now, @Member)
        redis.call('PEXPIRE', @Approvals, keep)
        return 1
        """);

    public sealed record RecordApprovalParameters(RedisKey Approvals, long Now, string Member, long KeepMs);
}
