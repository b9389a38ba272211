-- A start on the number's slot, in one step: the number's own limits checked and counted (its lockout,
-- a used-up verification, the cooldown, the purpose's windows, the windows across purposes), so a
-- burst to one number is refused here, before any counter elsewhere is touched; then the record
-- written: a new verification, or a resend of the caller's pending one (same id, new code). The live
-- verification, cooldown and lockout are the caller's own (its slot); the purpose's send window counts
-- every caller's sends.
-- Returns {'late'} | {'replayed', record, id} | {'throttled', subject, retry ms}
--       | {'stored', record, replaced record or '', id, replaced id or ''}.
if too_late(@Deadline) then return { 'late' } end
local N = @Number
local now, record_prefix, purpose = tonumber(@Now), @RecordPrefix, @Purpose
local idem, owner, safe, send_id = @IdempotencyKey, @Owner, @Safe == '1', @SendId
local limits, longest, cooldown, ttl = @PhoneLimits, tonumber(@PhoneLongestMs), tonumber(@CooldownMs), tonumber(@TtlMs)
local number_limits, number_longest = @NumberLimits, tonumber(@NumberLongestMs)

local number = number_read(N)
local own_slot = slot_of(purpose, owner)
local slot = @PerCaller == '1' and own_slot or purpose
local shared = purpose_read(number, purpose)
local state = slot == purpose and shared or purpose_read(number, slot)
if slot ~= own_slot and number.purposes[own_slot] ~= nil then
  -- Per-caller state turned off again (a rollback): the caller's slot folds back into the purpose's entry,
  -- erring towards refusing, so turning it off lifts no lockout, cooldown or used-up verification.
  local own = purpose_read(number, own_slot)
  state.cd, state.cf, state.lu = math.max(state.cd, own.cd), math.max(state.cf, own.cf), math.max(state.lu, own.lu)
  for _, t in ipairs(own.log) do state.log[#state.log + 1] = t end
  if own.id then state.id = own.id end
  number.purposes[own_slot] = nil
end
if slot ~= purpose and number.purposes[slot] == nil then
  -- This caller's first start since its state has a slot of its own: what the purpose's entry held for every
  -- caller (a release before this one, or per-caller state off) carries over, erring towards refusing: the
  -- cooldown, the wrong codes in a row and the lockout; the live verification too, when it is this caller's.
  state.cd, state.cf, state.lu = shared.cd, shared.cf, shared.lu
  if shared.id then
    local live = rec_read(record_prefix .. shared.id)
    if live and (live.o or '') == owner then state.id, shared.id = shared.id, nil end
  end
end
lockout_ended(state, now)
local function put_state()
  purpose_put(number, slot, state, now)
  if slot ~= purpose then purpose_put(number, purpose, shared, now) end
end
local existing_id = state.id
local existing, existing_blob = nil, ''
if existing_id then
  existing, existing_blob = rec_read(record_prefix .. existing_id)
  if existing then fold_failures(state, existing, now) end
  if existing and existing.x <= now then
    -- Kept past its expiry for the wrong codes in a row it held: they stay counted, even if this start is refused.
    redis.call('DEL', record_prefix .. existing_id)
    existing, existing_blob, state.id = nil, '', nil
    put_state()
    number_write(N, number, math.max(1, state.lu - now))
  end
end

if existing ~= nil and (existing.o or '') == owner and idem ~= '' and existing.idem == idem then
  return { 'replayed', existing_blob, existing_id }
end

local keep_number_for = 1
if not safe then
  if state.lu > now then return { 'throttled', 'phone:lockout', state.lu - now } end
  if existing and existing.s == 4 then return { 'throttled', 'phone:attempts', existing.x - now } end
  if state.cd > now then return { 'throttled', 'phone:cooldown', state.cd - now } end
  local log = times_prune(state.log, now - longest)
  local number_log = number_limits == '' and {} or times_prune(number.log, now - number_longest)
  local name, retry = times_first_exceeded(purpose_times(number, purpose, slot, log, now - longest), now, limits)
  if name then return { 'throttled', 'phone:' .. name, retry } end
  name, retry = times_first_exceeded(number_log, now, number_limits)
  if name then return { 'throttled', 'number:' .. name, retry } end

  log[#log + 1] = now
  if number_limits ~= '' then number_log[#number_log + 1] = now end
  -- No cooldown is no cooldown: an end of "now" would refuse a concurrent start whose clock read
  -- came a millisecond earlier.
  if cooldown > 0 then state.cd = now + cooldown end
  state.log, number.log = log, number_log
  keep_number_for = math.max(longest, number_longest, cooldown, 1)
end

-- Another caller's pending verification is replaced by a new one, not resent.
local resend = existing ~= nil and (existing.o or '') == owner and existing.s == 0
local code_expiry = now + ttl
local record, record_id
if resend then
  record, record_id = existing, existing_id
  local keep = @KeepPrevious == '1' and existing.e > now and (existing.t or '') == @Transaction
  if keep then
    record.pk, record.ph, record.pe, record.pt = existing.k, existing.h, existing.e, existing.t
  else
    record.pk, record.ph, record.pe, record.pt = nil, nil, nil, nil
  end
  record.x = keep and math.max(code_expiry, existing.e) or code_expiry
  record.q = existing.q + 1
else
  record_id = @NewId
  record = { n = @Phone, u = purpose, s = 0, c = now, x = code_expiry, m = tonumber(@MaxAttempts),
             f = existing and existing.f or 0, q = 1, len = tonumber(@CodeLength), a = tonumber(@Alphabet),
             o = owner ~= '' and owner or nil }
  if existing then redis.call('DEL', record_prefix .. existing_id) end
end
record.k, record.h, record.e = @KeyId, @Hash, code_expiry
record.t = @Transaction ~= '' and @Transaction or nil
record.w, record.d, record.l, record.sid = now + cooldown, 0, @Locale, send_id
record.idem = idem ~= '' and idem or nil
record.ch = tonumber(@Channel)
-- The record holds the number's wrong codes in a row (check.lua), taken over from the number's state; or,
-- while a release before this one serves beside it, the state alone does, and the record has its 25 fields.
if @WrongCodesInRecord == '1' then
  hand_failures(record, state, now)
else
  record.rw, record.lu = nil, nil
end

local left = record.x - now
local stored = rec_write(record_prefix .. record_id, record, left)
state.id = record_id
put_state()
number_write(N, number, math.max(left, keep_number_for))
return { 'stored', stored, existing_blob, record_id, existing and existing_id or '' }
