namespace Verify.Server.Storage.Redis;

/// <summary>
/// The Lua scripts of the Redis store: each state change is one script, so it is atomic. Scripts take
/// the caller's clock (<c>now</c>, Unix ms) rather than Redis <c>TIME</c>, so every replica and the
/// in-memory store decide expiry the same way, and key TTLs are set relative (PEXPIRE, SET PX) in
/// the same script that writes the key: a key can never be left without its expiry.
///
/// Windows are exact sliding logs ("ms:tag,ms:tag", oldest first) rather than GCRA: a policy says
/// "at most N in any window W", and GCRA, after a burst of N, lets one more through every W/N, which
/// that sentence forbids. A log holds at most the largest Max of its limits (single digits to tens),
/// so it stays a short string.
///
/// Scripts touch keys of one hash slot. A few keys are named inside a script (the record of the id a
/// phone state points to, the phone state of a record) rather than passed in KEYS; they carry the
/// same hash tag by construction (<see cref="RedisKeys"/>), so they live in the same slot on a cluster.
///
/// HMACs are compared with Lua's string equality, which is not constant-time. That is harmless here:
/// the comparison runs inside Redis, and each guess is HMAC'ed with a secret key, so a partial match
/// tells an attacker nothing about the next guess.
///
/// Records: <c>n</c> number, <c>u</c> purpose, <c>l</c> locale, <c>s</c> status, <c>c</c> created,
/// <c>x</c> expires, <c>w</c> next send, <c>m</c> max attempts, <c>f</c> failed attempts, <c>q</c> sends,
/// <c>d</c> delivery, <c>len</c>/<c>a</c> code length and alphabet, <c>sid</c> last send (8 bytes), <c>o</c> owner tag
/// (6 bytes), <c>idem</c>
/// idempotency key, <c>k</c>/<c>h</c>/<c>e</c>/<c>t</c> code key id, HMAC, expiry, transaction
/// fingerprint, and <c>pk</c>/<c>ph</c>/<c>pe</c>/<c>pt</c> the code before a resend when it is kept.
/// Statuses and delivery states are the enums' numbers (pending 0, approved 1, canceled 2, locked 4, burned 5).
/// </summary>
internal static class RedisScripts
{
    private const string Prelude = """
        local function fmt(n) return string.format('%d', n) end

        -- The caller stops waiting at the last ARGV (Redis clock, ms; 0 = unknown). A script that starts
        -- after that, because it was queued behind a stall, changes nothing: a call answered UNAVAILABLE
        -- must not consume a code, count an attempt or a send later.
        local function too_late()
          local deadline = tonumber(ARGV[#ARGV])
          if deadline == nil or deadline == 0 then return false end
          local t = redis.call('TIME')
          return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) > deadline
        end

        -- A log is a flat msgpack array: at, tag, at, tag, ... oldest first.
        local function log_from(flat)
          local entries = {}
          for i = 1, #flat, 2 do entries[#entries + 1] = { flat[i], flat[i + 1] } end
          return entries
        end

        local function log_to(entries)
          local flat = {}
          for _, e in ipairs(entries) do flat[#flat + 1] = e[1]; flat[#flat + 1] = e[2] end
          return flat
        end

        local function log_prune(entries, after)
          local kept = {}
          for _, e in ipairs(entries) do if e[1] > after then kept[#kept + 1] = e end end
          return kept
        end

        local function log_remove(entries, tag)
          local kept = {}
          for _, e in ipairs(entries) do if e[2] ~= tag then kept[#kept + 1] = e end end
          return kept
        end

        -- limits: "name|windowMs|max;..." in the policy's order. Returns the first exceeded limit's
        -- name and when the oldest send in its window leaves it (then one more fits), or nil.
        local function log_first_exceeded(entries, now, limits)
          for name, window, max in string.gmatch(limits, '([^|;]+)|(%d+)|(%d+)') do
            window = tonumber(window)
            local count, oldest = 0, nil
            for _, e in ipairs(entries) do
              if e[1] > now - window then
                count = count + 1
                if oldest == nil or e[1] < oldest then oldest = e[1] end
              end
            end
            -- Capped at the window: a send logged by a replica whose clock is a little ahead must not
            -- make the wait longer than the window itself.
            if count >= tonumber(max) then return name, math.min(oldest + window - now, window) end
          end
          return nil
        end

        -- Records are msgpack arrays in this field order; times after c are stored as ms after c
        -- (small ints); absent fields are false. Scripts see a table of strings, as a hash would give.
        local REC_FIELDS = { 'n', 'u', 'l', 's', 'c', 'x', 'w', 'm', 'f', 'q', 'd', 'len', 'a', 'sid', 'o', 'idem',
                             'k', 'h', 'e', 't', 'pk', 'ph', 'pe', 'pt' }
        local REC_NUMBER = { s = true, c = true, x = true, w = true, m = true, f = true, q = true, d = true,
                             len = true, a = true, e = true, pe = true }
        local REC_AFTER_CREATED = { x = true, w = true, e = true, pe = true }

        local function rec_decode(blob)
          local values, r = cmsgpack.unpack(blob), {}
          local created = values[5]
          for i, name in ipairs(REC_FIELDS) do
            local v = values[i]
            if v ~= false and v ~= nil then
              if REC_AFTER_CREATED[name] then v = created + v end
              if REC_NUMBER[name] then v = fmt(v) end
              r[name] = v
            end
          end
          return r
        end

        local function rec_encode(r)
          local values, created = {}, tonumber(r.c)
          for i, name in ipairs(REC_FIELDS) do
            local v = r[name]
            if v == nil then
              v = false
            elseif REC_NUMBER[name] then
              v = tonumber(v)
              if REC_AFTER_CREATED[name] then v = v - created end
            end
            values[i] = v
          end
          return cmsgpack.pack(values)
        end

        local function rec_read(key)
          local blob = redis.call('GET', key)
          if not blob then return nil, '' end
          return rec_decode(blob), blob
        end

        local function rec_write(key, r, ttl)
          redis.call('SET', key, rec_encode(r), 'PX', math.max(1, ttl))
        end

        local function rec_update(key, r)
          redis.call('SET', key, rec_encode(r), 'KEEPTTL')
        end

        -- A number's state: msgpack { live id's 16 bytes or false, cooldown end ms, log, wrong codes in
        -- a row, locked out until ms }. The id is kept as bytes ("VE" and 32 hex digits) so the state of
        -- one pending number stays small.
        local function id_to_bytes(id)
          return (string.gsub(string.sub(id, 3), '..', function(h) return string.char(tonumber(h, 16)) end))
        end

        local function id_from_bytes(bytes)
          return 'VE' .. (string.gsub(bytes, '.', function(c) return string.format('%02x', string.byte(c)) end))
        end

        local function phone_read(key)
          local blob = redis.call('GET', key)
          if not blob then return { cd = 0, log = {}, cf = 0, lu = 0 } end
          local v = cmsgpack.unpack(blob)
          return { id = v[1] ~= false and id_from_bytes(v[1]) or nil, cd = v[2], log = log_from(v[3]), cf = v[4] or 0, lu = v[5] or 0 }
        end

        -- The key keeps the longer of its current expiry and at_least ms, so it can never be left
        -- without one (SET ... KEEPTTL on a key that has gone would). A state with nothing left goes.
        local function phone_write(key, state, now, at_least)
          if state.id == nil and state.cd <= now and #state.log == 0 and state.cf == 0 and state.lu <= now then
            redis.call('DEL', key)
            return
          end
          local ttl = math.max(redis.call('PTTL', key), at_least, 1)
          local id = state.id and id_to_bytes(state.id) or false
          redis.call('SET', key, cmsgpack.pack({ id, state.cd, log_to(state.log), state.cf, state.lu }), 'PX', ttl)
        end

        local function forget_if_current(phone_key, id, now)
          local state = phone_read(phone_key)
          if state.id == id then
            state.id = nil
            phone_write(phone_key, state, now, 1)
          end
        end

        -- The live record at key, if owner may see it: else nil, and an expired record is removed.
        -- Also the key of its number's state.
        local function owned_live_record(key, phone_prefix, id, owner, now)
          local r, blob = rec_read(key)
          if not r then return nil end
          local phone_key = phone_prefix .. r.n .. ':' .. r.u
          if tonumber(r.x) <= now then
            redis.call('DEL', key)
            forget_if_current(phone_key, id, now)
            return nil
          end
          if (r.o or '') ~= owner then return nil end
          return r, blob, phone_key
        end

        local function ip_log_read(key)
          local blob = redis.call('GET', key)
          if not blob then return {} end
          return log_from(cmsgpack.unpack(blob))
        end

        """;

    /// <summary>
    /// A start on the number's slot. KEYS: phone state, record of the new id. ARGV: now, record key
    /// prefix, new id, the pending id the resend hash was made for ("" for none), idempotency key,
    /// send id, send tag, phone limits, longest window ms, cooldown ms, TTL ms, keep previous (1/0),
    /// max attempts, code length, alphabet, locale, number, purpose, key id, HMAC and transaction
    /// fingerprint for the new id, the same for the pending id, owner tag (bytes), safe-listed (1/0: no
    /// throttle, nothing counted), deadline.
    /// Returns {'late'} after the deadline, else {'stored', record, previous record or "", id, previous id or ""} | {'replayed', record, id} |
    /// {'throttled', subject, retry ms} | {'retry', pending id} when the pending id was not the one hashed for.
    /// </summary>
    public const string Start = Prelude + """
        if too_late() then return { 'late' } end
        local P = KEYS[1]
        local now, record_prefix = tonumber(ARGV[1]), ARGV[2]
        local new_id, expected_id, idem, send_id, send_tag = ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
        local limits, longest, cooldown, ttl = ARGV[8], tonumber(ARGV[9]), tonumber(ARGV[10]), tonumber(ARGV[11])
        local owner, safe = ARGV[24], ARGV[25] == '1'

        local state = phone_read(P)
        local existing_id = state.id
        local existing, existing_blob = nil, ''
        if existing_id then
          existing, existing_blob = rec_read(record_prefix .. existing_id)
          if existing and tonumber(existing.x) <= now then
            redis.call('DEL', record_prefix .. existing_id)
            existing, existing_blob = nil, ''
          end
        end

        local own = existing ~= nil and (existing.o or '') == owner
        if own and idem ~= '' and existing.idem == idem then return { 'replayed', existing_blob, existing_id } end
        local log = log_prune(state.log, now - longest)
        if not safe then
          if state.lu > now then return { 'throttled', 'phone:lockout', state.lu - now } end
          if existing and existing.s == '4' then return { 'throttled', 'phone:attempts', tonumber(existing.x) - now } end
          if state.cd > now then return { 'throttled', 'phone:cooldown', state.cd - now } end
          local name, retry = log_first_exceeded(log, now, limits)
          if name then return { 'throttled', 'phone:' .. name, retry } end
        end

        -- Another caller's pending verification is replaced by a new one, not resent.
        local resend = own and existing.s == '0'
        if resend and existing_id ~= expected_id then return { 'retry', existing_id } end

        local code_expiry = now + ttl
        local record, record_id
        if resend then
          record, record_id = existing, existing_id
          local keep = ARGV[12] == '1' and tonumber(existing.e) > now and (existing.t or '') == ARGV[23]
          if keep then
            record.pk, record.ph, record.pe, record.pt = existing.k, existing.h, existing.e, existing.t
          else
            record.pk, record.ph, record.pe, record.pt = nil, nil, nil, nil
          end
          record.k, record.h, record.e = ARGV[19], ARGV[22], fmt(code_expiry)
          record.t = ARGV[23] ~= '' and ARGV[23] or nil
          local expires = code_expiry
          if keep and tonumber(record.pe) > expires then expires = tonumber(record.pe) end
          record.x = fmt(expires)
          record.q = fmt(tonumber(existing.q) + 1)
        else
          record_id = new_id
          record = { n = ARGV[17], u = ARGV[18], s = '0', c = fmt(now), x = fmt(code_expiry), m = ARGV[13],
                     f = existing and existing.f or '0', q = '1', len = ARGV[14], a = ARGV[15],
                     k = ARGV[19], h = ARGV[20], e = fmt(code_expiry), t = ARGV[21] ~= '' and ARGV[21] or nil,
                     o = owner ~= '' and owner or nil }
          if existing then redis.call('DEL', record_prefix .. existing_id) end
        end
        record.w, record.d, record.l, record.sid = fmt(now + cooldown), '0', ARGV[16], send_id
        record.idem = idem ~= '' and idem or nil

        local left = tonumber(record.x) - now
        rec_write(record_prefix .. record_id, record, left)
        if not safe then
          log[#log + 1] = { now, send_tag }
          state.cd = now + cooldown
        end
        state.id, state.log = record_id, log
        phone_write(P, state, now, math.max(longest, cooldown, left))
        return { 'stored', rec_encode(record), existing_blob, record_id, existing and existing_id or '' }
        """;

    /// <summary>
    /// Undoes a start whose SMS was not taken. KEYS: phone state, the stored record, the previous
    /// record's key (the same key for a resend). ARGV: now, send id, send tag, stored id, previous id
    /// ("" for none), the previous record (as stored). Only the log entry goes when a newer start has
    /// replaced this one since.
    /// </summary>
    public const string Refund = Prelude + """
        local P, R, PREV = KEYS[1], KEYS[2], KEYS[3]
        local now, send_id, send_tag, stored_id, previous_id = tonumber(ARGV[1]), ARGV[2], ARGV[3], ARGV[4], ARGV[5]
        local state = phone_read(P)
        state.log = log_remove(state.log, send_tag)
        local stored = rec_read(R)
        if stored == nil or stored.sid ~= send_id then
          phone_write(P, state, now, 1)
          return 0
        end
        state.cd = 0
        redis.call('DEL', R)
        if state.id == stored_id then state.id = nil end
        local keep_for = 1
        if previous_id ~= '' then
          local previous = rec_decode(ARGV[6])
          local left = tonumber(previous.x) - now
          if left > 0 then
            rec_write(PREV, previous, left)
            state.id, keep_for = previous_id, left
          end
        end
        phone_write(P, state, now, keep_for)
        return 1
        """;

    /// <summary>
    /// A check by id. KEYS: the record. ARGV: now, phone state key prefix, id, typed length, fits
    /// digits (1/0), fits alphanumeric (1/0), owner tag, lockouts ("purpose|max|ms;..."), then (key id,
    /// HMAC, transaction fingerprint or "") per key, deadline. Returns {'late'} | {'notfound'} |
    /// {'throttled', 'phone:lockout', retry ms, wrong codes in a row} | {'malformed', length} | {'checked', valid 1/0, record after}.
    /// </summary>
    public const string Check = Prelude + """
        if too_late() then return { 'late' } end
        local R = KEYS[1]
        local now, phone_prefix, id = tonumber(ARGV[1]), ARGV[2], ARGV[3]
        local typed_length, fits_digits, fits_alphanumeric = tonumber(ARGV[4]), ARGV[5] == '1', ARGV[6] == '1'
        local owner, lockouts = ARGV[7], ARGV[8]
        local hashes, transactions = {}, {}
        for i = 9, #ARGV - 1, 3 do hashes[ARGV[i]] = ARGV[i + 1]; transactions[ARGV[i]] = ARGV[i + 2] end

        local r, blob, P = owned_live_record(R, phone_prefix, id, owner, now)
        if not r then return { 'notfound' } end
        local state = phone_read(P)
        if state.lu > now then return { 'throttled', 'phone:lockout', state.lu - now, state.cf } end
        if r.s ~= '0' then return { 'checked', 0, blob } end

        -- One more wrong code in a row for the number and purpose; enough of them lock it out.
        local function count_failure()
          state.cf = state.cf + 1
          for purpose, max, duration in string.gmatch(lockouts, '([^|;]+)|(%d+)|(%d+)') do
            if purpose == r.u and state.cf >= tonumber(max) then state.lu = now + tonumber(duration) end
          end
          phone_write(P, state, now, math.max(1, state.lu - now))
        end

        local fits = (r.a == '0' and fits_digits) or (r.a == '1' and fits_alphanumeric)
        if tonumber(r.len) ~= typed_length or not fits then return { 'malformed', tonumber(r.len) } end

        if (r.t or '') ~= (transactions[r.k] or '') then
          r.s = '5'
          rec_update(R, r)
          count_failure()
          return { 'checked', 0, rec_encode(r) }
        end

        local function matches(key_id, hash) return hashes[key_id] ~= nil and hashes[key_id] == hash end
        if matches(r.k, r.h) or (r.ph ~= nil and tonumber(r.pe) > now and matches(r.pk, r.ph)) then
          redis.call('DEL', R)
          state.cd, state.cf, state.lu = 0, 0, 0
          if state.id == id then state.id = nil end
          phone_write(P, state, now, 1)
          r.s = '1'
          return { 'checked', 1, rec_encode(r) }
        end

        local failed = tonumber(r.f) + 1
        r.f = fmt(failed)
        if failed >= tonumber(r.m) then r.s = '4' end
        rec_update(R, r)
        count_failure()
        return { 'checked', 0, rec_encode(r) }
        """;

    /// <summary>
    /// KEYS: the record. ARGV: now, phone state key prefix, id, owner tag, deadline. The cooldown stays: cancel-and-start
    /// must not become a way around it. Returns {'late'} | {'notfound'} | {'notpending', record} | {'canceled', record}.
    /// </summary>
    public const string Cancel = Prelude + """
        if too_late() then return { 'late' } end
        local R = KEYS[1]
        local now, phone_prefix, id, owner = tonumber(ARGV[1]), ARGV[2], ARGV[3], ARGV[4]
        local r, blob, P = owned_live_record(R, phone_prefix, id, owner, now)
        if not r then return { 'notfound' } end
        if r.s ~= '0' then return { 'notpending', blob } end
        redis.call('DEL', R)
        forget_if_current(P, id, now)
        r.s = '2'
        return { 'canceled', rec_encode(r) }
        """;

    /// <summary>KEYS: phone state. ARGV: now, record key prefix, owner tag. The id of the owner's live verification, or nil.</summary>
    public const string FindLiveId = Prelude + """
        local now = tonumber(ARGV[1])
        local id = phone_read(KEYS[1]).id
        if not id then return false end
        local r = rec_read(ARGV[2] .. id)
        if r and tonumber(r.x) > now and (r.o or '') == ARGV[3] then return id end
        return false
        """;

    /// <summary>KEYS: phone state. The id it points to, live or not, or nil: what a start hashes a resend for.</summary>
    public const string PendingId = Prelude + """
        return phone_read(KEYS[1]).id or false
        """;

    /// <summary>KEYS: the record. ARGV: send id. Marks the code handed to the channel, unless a newer send replaced it.</summary>
    public const string MarkSent = Prelude + """
        local r = rec_read(KEYS[1])
        if r == nil or r.sid ~= ARGV[1] then return 0 end
        r.d = '1'
        rec_update(KEYS[1], r)
        return 1
        """;

    /// <summary>
    /// The per-IP windows and the distinct destination countries of one client IP, on the IP's own
    /// slot. KEYS: the IP's send log, its countries (hash: country → "ms:send tag" of the send that
    /// first reached it). ARGV: now, send tag, limits, longest window ms, country, countries window
    /// ms, max countries (0: off), deadline. A country counts for a window after its first code.
    /// Returns {'late'} | {'admitted'} (and counts the send) | {'throttled', subject, retry ms}.
    /// </summary>
    public const string AdmitIp = Prelude + """
        if too_late() then return { 'late' } end
        local now, tag, longest = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[4])
        local country, countries_window, max_countries = ARGV[5], tonumber(ARGV[6]), tonumber(ARGV[7])
        local log = log_prune(ip_log_read(KEYS[1]), now - longest)
        local name, retry = log_first_exceeded(log, now, ARGV[3])
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
          log[#log + 1] = { now, tag }
          redis.call('SET', KEYS[1], cmsgpack.pack(log_to(log)), 'PX', math.max(1, longest))
        end
        if add_country then
          redis.call('HSET', KEYS[2], country, fmt(now) .. ':' .. tag)
          redis.call('PEXPIRE', KEYS[2], countries_window)
        end
        return { 'admitted' }
        """;

    /// <summary>KEYS: the IP log, the IP's countries. ARGV: send tag, country. Takes one counted send back.</summary>
    public const string RefundIp = Prelude + """
        local log = log_remove(ip_log_read(KEYS[1]), ARGV[1])
        if #log == 0 then
          redis.call('DEL', KEYS[1])
        else
          redis.call('SET', KEYS[1], cmsgpack.pack(log_to(log)), 'KEEPTTL')
        end
        local seen = redis.call('HGET', KEYS[2], ARGV[2])
        if seen and string.sub(seen, -#ARGV[1]) == ARGV[1] then redis.call('HDEL', KEYS[2], ARGV[2]) end
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

    /// <summary>KEYS: phone state. ARGV: now. Forgets the send log, cooldown, wrong codes in a row and lockout; keeps the live id.</summary>
    public const string ResetPhone = Prelude + """
        local now = tonumber(ARGV[1])
        local state = phone_read(KEYS[1])
        state.cd, state.log, state.cf, state.lu = 0, {}, 0, 0
        phone_write(KEYS[1], state, now, 1)
        return 1
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
