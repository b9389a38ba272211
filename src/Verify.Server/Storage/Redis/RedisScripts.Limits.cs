namespace Verify.Server.Storage.Redis;

/// <summary>The scripts of the limits that live outside a number's slot: the client IP and the counters across purposes.</summary>
internal static partial class RedisScripts
{
    /// <summary>
    /// The per-IP windows and the distinct destination countries of one client IP, on the IP's own
    /// slot. KEYS: the IP's send times, its countries (hash: country → "ms:send tag" of the send that
    /// first reached it). ARGV: now, send tag, limits, longest window ms, country, countries window
    /// ms, max countries (0: off), deadline. A country counts for a window after its first code.
    /// Returns {'late'} | {'admitted'} (and counts the send) | {'throttled', subject, retry ms}.
    /// </summary>
    public const string AdmitIp = Prelude + """
        if too_late() then return { 'late' } end
        local now, tag, longest = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[4])
        local country, countries_window, max_countries = ARGV[5], tonumber(ARGV[6]), tonumber(ARGV[7])
        local times = times_prune(times_read(KEYS[1]), now - longest)
        local name, retry = times_first_exceeded(times, now, ARGV[3])
        if name then return { 'throttled', 'ip:' .. name, retry } end

        local add_country = false
        if max_countries > 0 then
          local seen = redis.call('HGETALL', KEYS[2])
          local live, oldest = 0, nil
          for i = 1, #seen, 2 do
            local at = tonumber(string.match(seen[i + 1], '^(%d+)'))
            if at <= now - countries_window then
              redis.call('HDEL', KEYS[2], seen[i])
            elseif seen[i] ~= country then
              live = live + 1
              if oldest == nil or at < oldest then oldest = at end
            end
          end
          if redis.call('HEXISTS', KEYS[2], country) == 0 then
            if live >= max_countries then return { 'throttled', 'ip:countries', oldest + countries_window - now } end
            add_country = true
          end
        end

        if #ARGV[3] > 0 then
          times[#times + 1] = now
          redis.call('SET', KEYS[1], cmsgpack.pack(times), 'PX', math.max(1, longest))
        end
        if add_country then
          redis.call('HSET', KEYS[2], country, fmt(now) .. ':' .. tag)
          redis.call('PEXPIRE', KEYS[2], countries_window)
        end
        return { 'admitted' }
        """;

    /// <summary>KEYS: the IP's send times, its countries. ARGV: send time, send tag, country. Takes one counted send back.</summary>
    public const string RefundIp = Prelude + """
        local times = times_remove_one(times_read(KEYS[1]), tonumber(ARGV[1]))
        if #times == 0 then
          redis.call('DEL', KEYS[1])
        else
          redis.call('SET', KEYS[1], cmsgpack.pack(times), 'KEEPTTL')
        end
        local seen = redis.call('HGET', KEYS[2], ARGV[3])
        if seen and string.sub(seen, -#ARGV[2]) == ARGV[2] then redis.call('HDEL', KEYS[2], ARGV[3]) end
        return 1
        """;

    /// <summary>
    /// One counter across purposes (number, country, prefix, caller, global) on its own slot: a sorted
    /// set of sends (scored by time), exact over any window and cheap however many it holds; for
    /// prefixes and countries also the pumping guard. KEYS: sends, approvals, block. ARGV: now, send
    /// id, scope, limits, ms to keep sends, pumping rule ("window|settle|min sends|min conversion|block
    /// ms", or ""), deadline. Returns {'late'} | {'admitted'} | {'throttled', subject, retry ms, 1 when
    /// this start set a pumping block else 0}.
    /// </summary>
    public const string AdmitCounter = Prelude + """
        if too_late() then return { 'late' } end
        local now, member, scope, limits, keep = tonumber(ARGV[1]), ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
        local blocked = tonumber(redis.call('GET', KEYS[3]) or '0')
        if blocked > now then return { 'throttled', scope .. ':pumping', blocked - now, 0 } end
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - keep)
        for name, window, max in string.gmatch(limits, '([^|;]+)|(%d+)|(%d+)') do
          window = tonumber(window)
          local after = '(' .. fmt(now - window)
          if redis.call('ZCOUNT', KEYS[1], after, '+inf') >= tonumber(max) then
            local oldest = redis.call('ZRANGEBYSCORE', KEYS[1], after, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
            return { 'throttled', scope .. ':' .. name, math.min(tonumber(oldest[2]) + window - now, window), 0 }
          end
        end
        if ARGV[6] ~= '' then
          local window, settle, min_sends, min_conversion, block = string.match(ARGV[6], '^(%d+)|(%d+)|(%d+)|([%d.]+)|(%d+)$')
          window, settle, block = tonumber(window), tonumber(settle), tonumber(block)
          local settled = redis.call('ZCOUNT', KEYS[1], '(' .. fmt(now - window), fmt(now - settle))
          redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
          local approved = redis.call('ZCARD', KEYS[2])
          if settled >= tonumber(min_sends) and approved < tonumber(min_conversion) * settled then
            redis.call('SET', KEYS[3], fmt(now + block), 'PX', block)
            return { 'throttled', scope .. ':pumping', block, 1 }
          end
        end
        redis.call('ZADD', KEYS[1], now, member)
        redis.call('PEXPIRE', KEYS[1], keep)
        return { 'admitted' }
        """;

    /// <summary>KEYS: a counter's sends. ARGV: send id. Takes one counted send back.</summary>
    public const string RefundCounter = """
        redis.call('ZREM', KEYS[1], ARGV[1])
        return 1
        """;

    /// <summary>KEYS: a counter's approvals. ARGV: now, approval id, ms to keep. One approval for the pumping guard.</summary>
    public const string RecordApproval = """
        local now, keep = tonumber(ARGV[1]), tonumber(ARGV[3])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - keep)
        redis.call('ZADD', KEYS[1], now, ARGV[2])
        redis.call('PEXPIRE', KEYS[1], keep)
        return 1
        """;
}
