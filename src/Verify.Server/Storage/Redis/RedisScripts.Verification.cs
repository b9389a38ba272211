using StackExchange.Redis;

namespace Verify.Server.Storage.Redis;

/// <summary>The scripts of a number's slot: its state (all purposes) and its verifications' records.</summary>
internal static partial class RedisScripts
{
    /// <summary>
    /// A start's first step, on the number's slot: the number's own limits checked and counted in one
    /// go (its lockout, a used-up verification, the cooldown, the purpose's windows, the windows across
    /// purposes), so a burst to one number is refused here, before any counter elsewhere is touched.
    /// Parameters: <see cref="AdmitNumberParameters"/>. Returns {'late'} | {'replayed', record, id} |
    /// {'throttled', subject, retry ms} | {'admitted', live pending id or ""}.
    /// </summary>
    public static readonly LuaScript AdmitNumber = LuaScript.Prepare(Prelude + """
        if too_late(@Deadline) then return { 'late' } end
        local N = @Number
        local now, record_prefix, purpose = tonumber(@Now), @RecordPrefix, @Purpose
        local idem, owner, safe = @IdempotencyKey, @Owner, @Safe == '1'
        local limits, longest, cooldown = @PhoneLimits, tonumber(@PhoneLongestMs), tonumber(@CooldownMs)
        local number_limits, number_longest = @NumberLimits, tonumber(@NumberLongestMs)

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
        """);

    /// <param name="Number">The number's state.</param>
    /// <param name="Now">The replica's clock, Unix ms.</param>
    /// <param name="RecordPrefix">What precedes an id in its record's key.</param>
    /// <param name="Purpose">The policy's name.</param>
    /// <param name="IdempotencyKey">The caller's, or "".</param>
    /// <param name="Owner">The caller's owner tag (6 bytes, or empty).</param>
    /// <param name="Safe">Safe-listed: nothing is checked or counted.</param>
    /// <param name="PhoneLimits">The purpose's windows, "name|windowMs|max;...".</param>
    /// <param name="PhoneLongestMs">Their longest window.</param>
    /// <param name="CooldownMs">The resend cooldown.</param>
    /// <param name="NumberLimits">The windows across the number's purposes.</param>
    /// <param name="NumberLongestMs">Their longest window.</param>
    public sealed record AdmitNumberParameters(
        RedisKey Number, long Now, string RecordPrefix, string Purpose, string IdempotencyKey, byte[] Owner, bool Safe,
        string PhoneLimits, long PhoneLongestMs, long CooldownMs, string NumberLimits, long NumberLongestMs) : GuardedParameters;

    /// <summary>
    /// A start's record, once its limits admitted it: a new verification, or a resend of the caller's
    /// pending one (same id, new code). Parameters: <see cref="StoreRecordParameters"/>. Returns {'late'} |
    /// {'stored', record, previous record or "", id, previous id or ""} | {'retry', pending id} when the
    /// pending id was not the one hashed for.
    /// </summary>
    public static readonly LuaScript StoreRecord = LuaScript.Prepare(Prelude + """
        if too_late(@Deadline) then return { 'late' } end
        local N = @Number
        local now, record_prefix = tonumber(@Now), @RecordPrefix
        local new_id, expected_id, idem, send_id = @NewId, @ExpectedId, @IdempotencyKey, @SendId
        local cooldown, ttl, purpose, owner = tonumber(@CooldownMs), tonumber(@TtlMs), @Purpose, @Owner

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
          local keep = @KeepPrevious == '1' and tonumber(existing.e) > now and (existing.t or '') == @PendingTransaction
          if keep then
            record.pk, record.ph, record.pe, record.pt = existing.k, existing.h, existing.e, existing.t
          else
            record.pk, record.ph, record.pe, record.pt = nil, nil, nil, nil
          end
          record.k, record.h, record.e = @KeyId, @PendingHash, fmt(code_expiry)
          record.t = @PendingTransaction ~= '' and @PendingTransaction or nil
          local expires = code_expiry
          if keep and tonumber(record.pe) > expires then expires = tonumber(record.pe) end
          record.x = fmt(expires)
          record.q = fmt(tonumber(existing.q) + 1)
        else
          record_id = new_id
          record = { n = @Phone, u = purpose, s = '0', c = fmt(now), x = fmt(code_expiry), m = @MaxAttempts,
                     f = existing and existing.f or '0', q = '1', len = @CodeLength, a = @Alphabet,
                     k = @KeyId, h = @Hash, e = fmt(code_expiry), t = @Transaction ~= '' and @Transaction or nil,
                     o = owner ~= '' and owner or nil }
          if existing then redis.call('DEL', record_prefix .. existing_id) end
        end
        record.w, record.d, record.l, record.sid = fmt(now + cooldown), '0', @Locale, send_id
        record.idem = idem ~= '' and idem or nil
        record.ch = @Channel

        local left = tonumber(record.x) - now
        rec_write(resend and record_prefix .. record_id or @Record, record, left)
        state.id = record_id
        purpose_put(number, purpose, state, now)
        number_write(N, number, left)
        return { 'stored', rec_encode(record), existing_blob, record_id, existing and existing_id or '' }
        """);

    /// <param name="Number">The number's state.</param>
    /// <param name="Record">The record of <paramref name="NewId"/>.</param>
    /// <param name="ExpectedId">The pending id the resend's hash was made for, or "".</param>
    /// <param name="SendId">This send (8 bytes).</param>
    /// <param name="KeepPrevious">A resend keeps the code before it working.</param>
    /// <param name="Alphabet">The code's alphabet (enum number).</param>
    /// <param name="Phone">The number, E.164.</param>
    /// <param name="KeyId">The HMAC key both hashes were made with.</param>
    /// <param name="Hash">The code's HMAC for the new id; <paramref name="PendingHash"/> for the pending one.</param>
    /// <param name="Transaction">The transaction fingerprint for the new id (empty: none); <paramref name="PendingTransaction"/> for the pending one.</param>
    /// <param name="Channel">0 text, 1 call.</param>
    public sealed record StoreRecordParameters(
        RedisKey Number, RedisKey Record, long Now, string RecordPrefix, string NewId, string ExpectedId, string IdempotencyKey, byte[] SendId,
        long CooldownMs, long TtlMs, bool KeepPrevious, int MaxAttempts, int CodeLength, int Alphabet, string Locale, string Phone, string Purpose,
        string KeyId, byte[] Hash, byte[] Transaction, byte[] PendingHash, byte[] PendingTransaction, byte[] Owner, int Channel) : GuardedParameters;

    /// <summary>
    /// Undoes a start whose SMS was not taken (<see cref="RefundParameters"/>). Only the counts go
    /// when a newer start has replaced this one since.
    /// </summary>
    public static readonly LuaScript Refund = LuaScript.Prepare(Prelude + """
        local N, R, PREV = @Number, @Record, @Previous
        local now, send_id, send_time, stored_id, purpose, previous_id = tonumber(@Now), @SendId, tonumber(@SendTime), @StoredId, @Purpose, @PreviousId
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
            local previous = rec_decode(@PreviousRecord)
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
        """);

    /// <param name="Number">The number's state.</param>
    /// <param name="Record">The stored record.</param>
    /// <param name="Previous">The previous record's key (the same key for a resend).</param>
    /// <param name="SendTime">The send's time, 0 when nothing was counted.</param>
    /// <param name="PreviousId">The previous id, or "".</param>
    /// <param name="PreviousRecord">The previous record as stored, or empty.</param>
    public sealed record RefundParameters(
        RedisKey Number, RedisKey Record, RedisKey Previous, long Now, byte[] SendId, long SendTime, string StoredId, string Purpose,
        string PreviousId, RedisValue PreviousRecord);

    /// <summary>
    /// A check by id (<see cref="CheckParameters"/>). Returns {'late'} | {'notfound'} |
    /// {'throttled', 'phone:lockout', retry ms, wrong codes in a row} | {'malformed', length} |
    /// {'checked', valid 1/0, record after}.
    /// </summary>
    public static readonly LuaScript Check = LuaScript.Prepare(Prelude + """
        if too_late(@Deadline) then return { 'late' } end
        local R = @Record
        local now, number_prefix, id = tonumber(@Now), @NumberPrefix, @Id
        local typed_length, fits_digits, fits_alphanumeric = tonumber(@TypedLength), @FitsDigits == '1', @FitsAlphanumeric == '1'
        local owner, lockouts = @Owner, @Lockouts
        local hashes, transactions = {}, {}
        for _, h in ipairs(cmsgpack.unpack(@Hashes)) do hashes[h[1]] = h[2]; transactions[h[1]] = h[3] end

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
        """);

    /// <param name="Record">The record.</param>
    /// <param name="NumberPrefix">What precedes a number in its state's key.</param>
    /// <param name="TypedLength">The typed code's length.</param>
    /// <param name="FitsDigits">The typed code is all digits; <paramref name="FitsAlphanumeric"/>: all of the alphanumeric alphabet.</param>
    /// <param name="Lockouts">"purpose|max|ms;..."</param>
    /// <param name="Hashes">msgpack array of [key id, HMAC, transaction fingerprint or ""], one per key (<see cref="RedisVerificationStore"/>).</param>
    public sealed record CheckParameters(
        RedisKey Record, long Now, string NumberPrefix, string Id, int TypedLength, bool FitsDigits, bool FitsAlphanumeric, byte[] Owner,
        string Lockouts, byte[] Hashes) : GuardedParameters;

    /// <summary>
    /// <see cref="CancelParameters"/>. The cooldown stays: cancel-and-start must not become a way around
    /// it. Returns {'late'} | {'notfound'} | {'notpending', record} | {'canceled', record}.
    /// </summary>
    public static readonly LuaScript Cancel = LuaScript.Prepare(Prelude + """
        if too_late(@Deadline) then return { 'late' } end
        local R = @Record
        local now, number_prefix, id, owner = tonumber(@Now), @NumberPrefix, @Id, @Owner
        local r, blob, N = owned_live_record(R, number_prefix, id, owner, now)
        if not r then return { 'notfound' } end
        if r.s ~= '0' then return { 'notpending', blob } end
        redis.call('DEL', R)
        forget_if_current(N, r.u, id, now)
        r.s = '2'
        return { 'canceled', rec_encode(r) }
        """);

    public sealed record CancelParameters(RedisKey Record, long Now, string NumberPrefix, string Id, byte[] Owner) : GuardedParameters;

    /// <summary><see cref="FindLiveIdParameters"/>. The id of the owner's live verification, or nil.</summary>
    public static readonly LuaScript FindLiveId = LuaScript.Prepare(Prelude + """
        local now = tonumber(@Now)
        local id = purpose_read(number_read(@Number), @Purpose).id
        if not id then return false end
        local r = rec_read(@RecordPrefix .. id)
        if r and tonumber(r.x) > now and (r.o or '') == @Owner then return id end
        return false
        """);

    public sealed record FindLiveIdParameters(RedisKey Number, long Now, string RecordPrefix, byte[] Owner, string Purpose);

    /// <summary>Marks the code handed to the channel, unless a newer send replaced it.</summary>
    public static readonly LuaScript MarkSent = LuaScript.Prepare(Prelude + """
        local r = rec_read(@Record)
        if r == nil or r.sid ~= @SendId then return 0 end
        r.d = '1'
        rec_update(@Record, r)
        return 1
        """);

    public sealed record MarkSentParameters(RedisKey Record, byte[] SendId);

    /// <summary>
    /// Forgets a number's send times, cooldown, wrong codes in a row and lockout for a purpose ("" for
    /// the counts across purposes); keeps the live id.
    /// </summary>
    public static readonly LuaScript ResetNumber = LuaScript.Prepare(Prelude + """
        local now, purpose = tonumber(@Now), @Purpose
        local number = number_read(@Number)
        if purpose == '' then
          number.log = {}
        else
          local state = purpose_read(number, purpose)
          state.cd, state.log, state.cf, state.lu = 0, {}, 0, 0
          purpose_put(number, purpose, state, now)
        end
        number_write(@Number, number, 1)
        return 1
        """);

    public sealed record ResetNumberParameters(RedisKey Number, long Now, string Purpose);

    /// <summary>
    /// A handoff (<see cref="HandoffParameters"/>): false when the message is unknown, else { id, send
    /// id (hex), sent at (ms), region }.
    /// </summary>
    public static readonly LuaScript ReadHandoff = LuaScript.Prepare("""
        local v = redis.call('GET', @Handoff)
        if not v then return false end
        local id, sid, sent, region = string.match(v, '^([^|]*)|([^|]*)|([^|]*)|([^|]*)|[01]$')
        if not id then return false end
        return { id, sid, sent, region }
        """);

    public sealed record HandoffParameters(RedisKey Handoff);

    /// <summary>
    /// Marks that a handoff's final receipt came (<see cref="HandoffParameters"/>); returns 1 when this
    /// call marked it (the message's first final word, which metrics count), 0 when it was marked before
    /// or is gone. Run after the receipt was applied, so a failed apply that the provider retries still
    /// counts once.
    /// </summary>
    public static readonly LuaScript MarkHandoffFinal = LuaScript.Prepare("""
        local v = redis.call('GET', @Handoff)
        if not v or string.sub(v, -1) ~= '0' then return 0 end
        redis.call('SET', @Handoff, string.sub(v, 1, -2) .. '1', 'KEEPTTL')
        return 1
        """);

    /// <summary>
    /// A receipt's delivery state (<see cref="ApplyDeliveryParameters"/>). Moves the status forward only
    /// (queued 0, sent 1, then one final word 2 to 4) and only for the record's current send. Returns 1
    /// when it moved.
    /// </summary>
    public static readonly LuaScript ApplyDelivery = LuaScript.Prepare(Prelude + """
        local r = rec_read(@Record)
        if r == nil or r.sid ~= @SendId or tonumber(r.x) <= tonumber(@Now) then return 0 end
        local from, to = tonumber(r.d), tonumber(@State)
        local function rank(state) if state >= 2 then return 2 end return state end
        if from >= 2 or rank(to) <= rank(from) then return 0 end
        r.d = @State
        rec_update(@Record, r)
        return 1
        """);

    /// <param name="SendId">The send the receipt is for (8 bytes).</param>
    /// <param name="State">The new delivery state (enum number).</param>
    public sealed record ApplyDeliveryParameters(RedisKey Record, long Now, byte[] SendId, int State);
}
