namespace Verify.Server.Storage.Redis;

/// <summary>The scripts of a number's slot: its state (all purposes) and its verifications' records.</summary>
internal static partial class RedisScripts
{
    /// <summary>
    /// A start's first step, on the number's slot: the number's own limits checked and counted in one
    /// go (its lockout, a used-up verification, the cooldown, the purpose's windows, the windows across
    /// purposes), so a burst to one number is refused here, before any counter elsewhere is touched.
    /// KEYS: the number's state. ARGV: now, record key prefix, purpose, idempotency key, owner tag,
    /// safe-listed (1/0: nothing checked or counted), phone limits, their longest window ms, cooldown
    /// ms, limits across purposes, their longest window ms, deadline. Returns {'late'} |
    /// {'replayed', record, id} | {'throttled', subject, retry ms} | {'admitted', live pending id or ""}.
    /// </summary>
    public const string AdmitNumber = Prelude + """
        if too_late() then return { 'late' } end
        local N = KEYS[1]
        local now, record_prefix, purpose = tonumber(ARGV[1]), ARGV[2], ARGV[3]
        local idem, owner, safe = ARGV[4], ARGV[5], ARGV[6] == '1'
        local limits, longest, cooldown = ARGV[7], tonumber(ARGV[8]), tonumber(ARGV[9])
        local number_limits, number_longest = ARGV[10], tonumber(ARGV[11])

        local number = number_read(N)
        local state = purpose_read(number, purpose)
        local existing, existing_blob = nil, ''
        if state.id then
          existing, existing_blob = rec_read(record_prefix .. state.id)
          if existing and tonumber(existing.x) <= now then existing, existing_blob = nil, '' end
        end
        local pending = existing and state.id or ''

        if existing ~= nil and (existing.o or '') == owner and idem ~= '' and existing.idem == idem then
          return { 'replayed', existing_blob, state.id }
        end
        if safe then return { 'admitted', pending } end
        if state.lu > now then return { 'throttled', 'phone:lockout', state.lu - now } end
        if existing and existing.s == '4' then return { 'throttled', 'phone:attempts', tonumber(existing.x) - now } end
        if state.cd > now then return { 'throttled', 'phone:cooldown', state.cd - now } end
        local log = times_prune(state.log, now - longest)
        local number_log = number_limits == '' and {} or times_prune(number.log, now - number_longest)
        local name, retry = times_first_exceeded(log, now, limits)
        if name then return { 'throttled', 'phone:' .. name, retry } end
        name, retry = times_first_exceeded(number_log, now, number_limits)
        if name then return { 'throttled', 'number:' .. name, retry } end

        log[#log + 1] = now
        if number_limits ~= '' then number_log[#number_log + 1] = now end
        -- No cooldown is no cooldown: an end of "now" would refuse a concurrent start whose clock read
        -- came a millisecond earlier.
        if cooldown > 0 then state.cd = now + cooldown end
        state.log, number.log = log, number_log
        purpose_put(number, purpose, state, now)
        number_write(N, number, math.max(longest, number_longest, cooldown, 1))
        return { 'admitted', pending }
        """;

    /// <summary>
    /// A start's record, once its limits admitted it: a new verification, or a resend of the caller's
    /// pending one (same id, new code). KEYS: the number's state, the record of the new id. ARGV: now,
    /// record key prefix, new id, the pending id the resend hash was made for ("" for none),
    /// idempotency key, send id, cooldown ms, TTL ms, keep previous (1/0), max attempts, code length,
    /// alphabet, locale, number, purpose, key id, HMAC and transaction fingerprint for the new id, the
    /// same for the pending id, owner tag, channel (0 text, 1 call), deadline. Returns {'late'} |
    /// {'stored', record, previous record or "", id, previous id or ""} | {'retry', pending id} when the
    /// pending id was not the one hashed for.
    /// </summary>
    public const string StoreRecord = Prelude + """
        if too_late() then return { 'late' } end
        local N = KEYS[1]
        local now, record_prefix = tonumber(ARGV[1]), ARGV[2]
        local new_id, expected_id, idem, send_id = ARGV[3], ARGV[4], ARGV[5], ARGV[6]
        local cooldown, ttl, purpose, owner = tonumber(ARGV[7]), tonumber(ARGV[8]), ARGV[15], ARGV[21]

        local number = number_read(N)
        local state = purpose_read(number, purpose)
        local existing_id = state.id
        local existing, existing_blob = nil, ''
        if existing_id then
          existing, existing_blob = rec_read(record_prefix .. existing_id)
          if existing and tonumber(existing.x) <= now then
            redis.call('DEL', record_prefix .. existing_id)
            existing, existing_blob = nil, ''
          end
        end

        -- Another caller's pending verification is replaced by a new one, not resent.
        local resend = existing ~= nil and (existing.o or '') == owner and existing.s == '0'
        if resend and existing_id ~= expected_id then return { 'retry', existing_id } end

        local code_expiry = now + ttl
        local record, record_id
        if resend then
          record, record_id = existing, existing_id
          local keep = ARGV[9] == '1' and tonumber(existing.e) > now and (existing.t or '') == ARGV[20]
          if keep then
            record.pk, record.ph, record.pe, record.pt = existing.k, existing.h, existing.e, existing.t
          else
            record.pk, record.ph, record.pe, record.pt = nil, nil, nil, nil
          end
          record.k, record.h, record.e = ARGV[16], ARGV[19], fmt(code_expiry)
          record.t = ARGV[20] ~= '' and ARGV[20] or nil
          local expires = code_expiry
          if keep and tonumber(record.pe) > expires then expires = tonumber(record.pe) end
          record.x = fmt(expires)
          record.q = fmt(tonumber(existing.q) + 1)
        else
          record_id = new_id
          record = { n = ARGV[14], u = purpose, s = '0', c = fmt(now), x = fmt(code_expiry), m = ARGV[10],
                     f = existing and existing.f or '0', q = '1', len = ARGV[11], a = ARGV[12],
                     k = ARGV[16], h = ARGV[17], e = fmt(code_expiry), t = ARGV[18] ~= '' and ARGV[18] or nil,
                     o = owner ~= '' and owner or nil }
          if existing then redis.call('DEL', record_prefix .. existing_id) end
        end
        record.w, record.d, record.l, record.sid = fmt(now + cooldown), '0', ARGV[13], send_id
        record.idem = idem ~= '' and idem or nil
        record.ch = ARGV[22]

        local left = tonumber(record.x) - now
        rec_write(record_prefix .. record_id, record, left)
        state.id = record_id
        purpose_put(number, purpose, state, now)
        number_write(N, number, left)
        return { 'stored', rec_encode(record), existing_blob, record_id, existing and existing_id or '' }
        """;

    /// <summary>
    /// Undoes a start whose SMS was not taken. KEYS: the number's state, the stored record, the
    /// previous record's key (the same key for a resend). ARGV: now, send id, send time (0 when
    /// nothing was counted), stored id, purpose, previous id ("" for none), the previous record (as
    /// stored). Only the counts go when a newer start has replaced this one since.
    /// </summary>
    public const string Refund = Prelude + """
        local N, R, PREV = KEYS[1], KEYS[2], KEYS[3]
        local now, send_id, send_time, stored_id, purpose, previous_id = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5], ARGV[6]
        local number = number_read(N)
        local state = purpose_read(number, purpose)
        state.log = times_remove_one(state.log, send_time)
        number.log = times_remove_one(number.log, send_time)
        local stored = rec_read(R)
        local keep_for = 1
        if stored ~= nil and stored.sid == send_id then
          state.cd = 0
          redis.call('DEL', R)
          if state.id == stored_id then state.id = nil end
          if previous_id ~= '' then
            local previous = rec_decode(ARGV[7])
            local left = tonumber(previous.x) - now
            if left > 0 then
              rec_write(PREV, previous, left)
              state.id, keep_for = previous_id, left
            end
          end
        end
        purpose_put(number, purpose, state, now)
        number_write(N, number, keep_for)
        return 1
        """;

    /// <summary>
    /// A check by id. KEYS: the record. ARGV: now, number state key prefix, id, typed length, fits
    /// digits (1/0), fits alphanumeric (1/0), owner tag, lockouts ("purpose|max|ms;..."), then (key id,
    /// HMAC, transaction fingerprint or "") per key, deadline. Returns {'late'} | {'notfound'} |
    /// {'throttled', 'phone:lockout', retry ms, wrong codes in a row} | {'malformed', length} |
    /// {'checked', valid 1/0, record after}.
    /// </summary>
    public const string Check = Prelude + """
        if too_late() then return { 'late' } end
        local R = KEYS[1]
        local now, number_prefix, id = tonumber(ARGV[1]), ARGV[2], ARGV[3]
        local typed_length, fits_digits, fits_alphanumeric = tonumber(ARGV[4]), ARGV[5] == '1', ARGV[6] == '1'
        local owner, lockouts = ARGV[7], ARGV[8]
        local hashes, transactions = {}, {}
        for i = 9, #ARGV - 1, 3 do hashes[ARGV[i]] = ARGV[i + 1]; transactions[ARGV[i]] = ARGV[i + 2] end

        local r, blob, N = owned_live_record(R, number_prefix, id, owner, now)
        if not r then return { 'notfound' } end
        local number = number_read(N)
        local state = purpose_read(number, r.u)
        if state.lu > now then return { 'throttled', 'phone:lockout', state.lu - now, state.cf } end
        if r.s ~= '0' then return { 'checked', 0, blob } end

        -- One more wrong code in a row for the number and purpose; enough of them lock it out.
        local function count_failure()
          state.cf = state.cf + 1
          for purpose, max, duration in string.gmatch(lockouts, '([^|;]+)|(%d+)|(%d+)') do
            if purpose == r.u and state.cf >= tonumber(max) then state.lu = now + tonumber(duration) end
          end
          purpose_put(number, r.u, state, now)
          number_write(N, number, math.max(1, state.lu - now))
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
          purpose_put(number, r.u, state, now)
          number_write(N, number, 1)
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
    /// KEYS: the record. ARGV: now, number state key prefix, id, owner tag, deadline. The cooldown stays:
    /// cancel-and-start must not become a way around it. Returns {'late'} | {'notfound'} |
    /// {'notpending', record} | {'canceled', record}.
    /// </summary>
    public const string Cancel = Prelude + """
        if too_late() then return { 'late' } end
        local R = KEYS[1]
        local now, number_prefix, id, owner = tonumber(ARGV[1]), ARGV[2], ARGV[3], ARGV[4]
        local r, blob, N = owned_live_record(R, number_prefix, id, owner, now)
        if not r then return { 'notfound' } end
        if r.s ~= '0' then return { 'notpending', blob } end
        redis.call('DEL', R)
        forget_if_current(N, r.u, id, now)
        r.s = '2'
        return { 'canceled', rec_encode(r) }
        """;

    /// <summary>KEYS: the number's state. ARGV: now, record key prefix, owner tag, purpose. The id of the owner's live verification, or nil.</summary>
    public const string FindLiveId = Prelude + """
        local now = tonumber(ARGV[1])
        local id = purpose_read(number_read(KEYS[1]), ARGV[4]).id
        if not id then return false end
        local r = rec_read(ARGV[2] .. id)
        if r and tonumber(r.x) > now and (r.o or '') == ARGV[3] then return id end
        return false
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
    /// KEYS: the number's state. ARGV: now, purpose ("" for the counts across purposes). Forgets the
    /// send times, cooldown, wrong codes in a row and lockout; keeps the live id.
    /// </summary>
    public const string ResetNumber = Prelude + """
        local now = tonumber(ARGV[1])
        local number = number_read(KEYS[1])
        if ARGV[2] == '' then
          number.log = {}
        else
          local state = purpose_read(number, ARGV[2])
          state.cd, state.log, state.cf, state.lu = 0, {}, 0, 0
          purpose_put(number, ARGV[2], state, now)
        end
        number_write(KEYS[1], number, 1)
        return 1
        """;

    /// <summary>
    /// KEYS: a handoff. Returns false when the message is unknown, else { id, send id (hex), sent at
    /// (ms), region }.
    /// </summary>
    public const string ReadHandoff = """
        local v = redis.call('GET', KEYS[1])
        if not v then return false end
        local id, sid, sent, region = string.match(v, '^([^|]*)|([^|]*)|([^|]*)|([^|]*)|[01]$')
        if not id then return false end
        return { id, sid, sent, region }
        """;

    /// <summary>
    /// KEYS: a handoff. Marks that its final receipt came; returns 1 when this call marked it (the
    /// message's first final word, which metrics count), 0 when it was marked before or is gone. Run
    /// after the receipt was applied, so a failed apply that the provider retries still counts once.
    /// </summary>
    public const string MarkHandoffFinal = """
        local v = redis.call('GET', KEYS[1])
        if not v or string.sub(v, -1) ~= '0' then return 0 end
        redis.call('SET', KEYS[1], string.sub(v, 1, -2) .. '1', 'KEEPTTL')
        return 1
        """;

    /// <summary>
    /// KEYS: the record. ARGV: now, send id (8 bytes), the new delivery state (number). Moves the status
    /// forward only (queued 0, sent 1, then one final word 2 to 4) and only for the record's current send.
    /// Returns 1 when it moved.
    /// </summary>
    public const string ApplyDelivery = Prelude + """
        local r = rec_read(KEYS[1])
        if r == nil or r.sid ~= ARGV[2] or tonumber(r.x) <= tonumber(ARGV[1]) then return 0 end
        local from, to = tonumber(r.d), tonumber(ARGV[3])
        local function rank(state) if state >= 2 then return 2 end return state end
        if from >= 2 or rank(to) <= rank(from) then return 0 end
        r.d = ARGV[3]
        rec_update(KEYS[1], r)
        return 1
        """;
}
