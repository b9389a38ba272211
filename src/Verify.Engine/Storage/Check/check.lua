-- A check, by id or by the number and purpose (the live verification the number's state names), in
-- one step: compares, counts the attempt, consumes on success, burns on another transaction.
-- Returns {'late'} | {'notfound'} | {'throttled', 'phone:lockout', retry ms, wrong codes in a row}
--       | {'malformed', length} | {'legacy', id} | {'checked', valid 1/0, record after, id}.
if too_late(@Deadline) then return { 'late' } end
local now, owner, lockouts = tonumber(@Now), @Owner, @Lockouts
local typed_length, fits_digits, fits_alphanumeric = tonumber(@TypedLength), @FitsDigits == '1', @FitsAlphanumeric == '1'
local id, R, number = @Id, @Key, nil
if id == '' then
  number = number_read(@Key)
  id = purpose_read(number, @Purpose).id
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
-- A check by number has read the number's state already (the same key: the record names its number).
if number == nil or N ~= @Key then number = number_read(N) end
local state = purpose_read(number, r.u)
if state.lu > now then return { 'throttled', 'phone:lockout', state.lu - now, state.cf } end
if r.s ~= 0 then return { 'checked', 0, blob, id } end

-- One more wrong code in a row for the number and purpose; enough of them lock it out.
local function count_failure()
  state.cf = state.cf + 1
  for purpose, max, duration in string.gmatch(lockouts, '([^|;]+)|(%d+)|(%d+)') do
    if purpose == r.u and state.cf >= tonumber(max) then state.lu = now + tonumber(duration) end
  end
  purpose_put(number, r.u, state, now)
  number_write(N, number, math.max(1, state.lu - now))
end

local fits = (r.a == 0 and fits_digits) or (r.a == 1 and fits_alphanumeric)
if r.len ~= typed_length or not fits then return { 'malformed', r.len } end

local presented = typed_for(r.h)[r.k]
if (r.t or '') ~= (presented and presented[2] or '') then
  r.s = 5
  local after = rec_update(R, r)
  count_failure()
  return { 'checked', 0, after, id }
end

local function matches(key_id, hash) local typed = typed_for(hash)[key_id]; return typed ~= nil and typed[1] == hash end
if matches(r.k, r.h) or (r.ph ~= nil and r.pe > now and matches(r.pk, r.ph)) then
  redis.call('DEL', R)
  state.cd, state.cf, state.lu = 0, 0, 0
  if state.id == id then state.id = nil end
  purpose_put(number, r.u, state, now)
  number_write(N, number, 1)
  r.s = 1
  return { 'checked', 1, rec_encode(r), id }
end

local failed = r.f + 1
r.f = failed
if failed >= r.m then r.s = 4 end
local after = rec_update(R, r)
count_failure()
return { 'checked', 0, after, id }
