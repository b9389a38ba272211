-- A check, by id or by the number and purpose (the live verification the number's state names), in
-- one step: compares, counts the attempt, consumes on success, burns on another transaction.
-- Returns {'late'} | {'notfound'} | {'throttled', 'phone:lockout', retry ms, wrong codes in a row}
--       | {'malformed', length} | {'legacy', id} | {'checked', valid 1/0, record after, id[, 0 when not compared]}.
if too_late(@Deadline) then return { 'late' } end
local now, owner, lockouts = tonumber(@Now), @Owner, @Lockouts
local typed_length, fits_digits, fits_alphanumeric = tonumber(@TypedLength), @FitsDigits == '1', @FitsAlphanumeric == '1'
local id, R, number = @Id, @Key, nil
local per_caller = @PerCaller == '1'
if id == '' then
  number = number_read(@Key)
  local own_slot, purpose_entry = slot_of(@Purpose, owner), @Purpose
  id = purpose_read(number, per_caller and own_slot or purpose_entry).id
  -- Started while per-caller state was the other way (or by a release before this one): named in the other
  -- entry. The owner is checked below.
  if not id then id = purpose_read(number, per_caller and purpose_entry or own_slot).id end
  if not id then return { 'notfound' } end
  R = @RecordPrefix .. id
end
-- Key id -> { code hash, transaction fingerprint }: this release's form, and (when given) the id-bound
-- form of the release before, which hashed 32 bytes without a version byte.
local function by_key(packed)
  local t = {}
  if packed ~= '' then for _, h in ipairs(cmsgpack.unpack(packed)) do t[h[1]] = { h[2], h[3] } end end
  return t
end
local current, legacy = by_key(@Hashes), by_key(@LegacyHashes)
local function typed_for(stored_hash) if #stored_hash == 32 then return legacy end return current end

local r, blob, N = owned_live_record(R, @NumberPrefix, id, owner, now)
if not r then return { 'notfound' } end
-- A live code hashed by the release before this one (the current one, or the one before a resend)
-- bound the id into its HMAC: the caller hashes the typed code that way too and asks once more.
if @LegacyHashes == '' and (#r.h == 32 or (r.ph ~= nil and #r.ph == 32 and r.pe > now)) then
  return { 'legacy', id }
end
-- The number's wrong codes in a row and lockout: in the record (this release), or in the number's state
-- (a record of the release before; a check by number has read that state already: the record names it).
local state, state_slot = nil, nil
local function read_state()
  if number == nil or N ~= @Key then number = number_read(N) end
  state_slot = slot_for_record(number, r, id, per_caller)
  state = purpose_read(number, state_slot)
  lockout_ended(state, now)
end
local in_record = r.rw ~= nil
if not in_record then read_state() end
if in_record and r.lu ~= nil and r.lu <= now then
  -- The lockout this record carries has ended: its count starts again, in the record and in the state.
  r.rw, r.lu = 0, nil
  read_state()
  purpose_put(number, state_slot, state, now)
  number_write(N, number, 1)
end
local in_a_row = in_record and r.rw or state.cf
local locked_until = in_record and (r.lu or 0) or state.lu
if locked_until > now then return { 'throttled', 'phone:lockout', locked_until - now, in_a_row } end
-- Ended before this check (out of attempts, burned): nothing is compared, so it is no guess (the trailing 0).
if r.s ~= 0 then return { 'checked', 0, blob, id, 0 } end

-- One more wrong code in a row for the number and purpose; enough of them lock it out. The record is
-- written after, and keeps the count as long as the number's state would have (its expiry, at least).
-- A lockout is written to the number's state at once too: a start reads it there.
local function count_failure()
  in_a_row = in_a_row + 1
  local locks = false
  for purpose, max, duration in string.gmatch(lockouts, '([^|;]+)|(%d+)|(%d+)') do
    if purpose == r.u and in_a_row >= tonumber(max) then locked_until, locks = now + tonumber(duration), true end
  end
  if in_record then
    r.rw = in_a_row
    if not locks then return end
    r.lu = locked_until
    read_state()
  end
  state.cf = math.max(state.cf, in_a_row)
  if locked_until > state.lu then state.lu = locked_until end
  purpose_put(number, state_slot, state, now)
  number_write(N, number, math.max(1, state.lu - now))
end

local function write_failed()
  count_failure()
  if not in_record then return rec_update(R, r) end
  return rec_write(R, r, math.max(redis.call('PTTL', N), r.x - now))
end

local fits = (r.a == 0 and fits_digits) or (r.a == 1 and fits_alphanumeric)
if r.len ~= typed_length or not fits then return { 'malformed', r.len } end

local presented = typed_for(r.h)[r.k]
if (r.t or '') ~= (presented and presented[2] or '') then
  r.s = 5
  return { 'checked', 0, write_failed(), id }
end

local function matches(key_id, hash) local typed = typed_for(hash)[key_id]; return typed ~= nil and typed[1] == hash end
if matches(r.k, r.h) or (r.ph ~= nil and r.pe > now and matches(r.pk, r.ph)) then
  redis.call('DEL', R)
  if state == nil then read_state() end
  state.cd, state.cf, state.lu = 0, 0, 0
  if state.id == id then state.id = nil end
  purpose_put(number, state_slot, state, now)
  number_write(N, number, 1)
  r.s, r.rw, r.lu = 1, in_record and 0 or nil, nil
  return { 'checked', 1, rec_encode(r), id }
end

r.f = r.f + 1
if r.f >= r.m then r.s = 4 end
return { 'checked', 0, write_failed(), id }
