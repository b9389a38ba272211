local function fmt(n) return string.format('%d', n) end

-- The caller stops waiting at deadline (Redis clock, ms; 0 = unknown). A script that starts
-- after that, because it was queued behind a stall, changes nothing: a call answered UNAVAILABLE
-- must not consume a code, count an attempt or a send later.
local function too_late(deadline)
  deadline = tonumber(deadline)
  if deadline == nil or deadline == 0 then return false end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) > deadline
end

-- A log is an array of send times, oldest first. A refund takes back one entry of its send's
-- time: which one does not matter, every entry of a time counts the same in any window.
local function times_prune(times, after)
  local kept = {}
  for _, t in ipairs(times) do if t > after then kept[#kept + 1] = t end end
  return kept
end

local function times_remove_one(times, at)
  for i, t in ipairs(times) do
    if t == at then
      table.remove(times, i)
      return times
    end
  end
  return times
end

-- limits: "name|windowMs|max;..." in the policy's order. Returns the first exceeded limit's
-- name and when the oldest send in its window leaves it (then one more fits), or nil.
local function times_first_exceeded(times, now, limits)
  for name, window, max in string.gmatch(limits, '([^|;]+)|(%d+)|(%d+)') do
    window = tonumber(window)
    local count, oldest = 0, nil
    for _, t in ipairs(times) do
      if t > now - window then
        count = count + 1
        if oldest == nil or t < oldest then oldest = t end
      end
    end
    -- Capped at the window: a send logged by a replica whose clock is a little ahead must not
    -- make the wait longer than the window itself.
    if count >= tonumber(max) then return name, math.min(oldest + window - now, window) end
  end
  return nil
end

-- Records are msgpack arrays in the field order of RedisRecordLayout (C#, the one definition of a
-- record's fields, which writes the two constructors below when the script is loaded); times after c
-- are stored as ms after c (small ints); absent fields are false. Scripts see a table by field name,
-- numbers as numbers.
local function rec_decode(blob)
  local v = cmsgpack.unpack(blob)
  local c = v[$CreatedIndex]
  return { $RecordDecode }
end

-- The array ends at its last present field, never before the fields a release before reads (RedisRecordLayout).
local function rec_encode(r)
  local c = tonumber(r.c)
  local v = { $RecordEncode }
  for i = $RecordFieldCount, $RecordShortestWritten + 1, -1 do
    if v[i] then break end
    v[i] = nil
  end
  return cmsgpack.pack(v)
end

local function rec_read(key)
  local blob = redis.call('GET', key)
  if not blob then return nil, '' end
  return rec_decode(blob), blob
end

-- Places in the record's array, for a script that patches a field without decoding the record.
local REC_SID, REC_D = $RecordIndex(sid), $RecordIndex(d)

-- Returns the stored value, as rec_update does.
local function rec_write(key, r, ttl)
  local blob = rec_encode(r)
  redis.call('SET', key, blob, 'PX', math.max(1, ttl))
  return blob
end

-- Returns the stored value, so a script that answers with the record does not encode it twice.
local function rec_update(key, r)
  local blob = rec_encode(r)
  redis.call('SET', key, blob, 'KEEPTTL')
  return blob
end

-- An id is "VE" and 32 hex digits, kept as its 16 bytes. One string.format / string.char per id: a
-- gsub with a function per character cost ~2.7 µs each way, on every number state read or written.
local function id_to_bytes(id)
  local b = {}
  for i = 3, 33, 2 do b[#b + 1] = tonumber(string.sub(id, i, i + 1), 16) end
  return string.char(unpack(b))
end

local function id_from_bytes(bytes)
  return 'VE' .. string.format(string.rep('%02x', 16), string.byte(bytes, 1, 16))
end

local function number_read(key)
  local blob = redis.call('GET', key)
  if not blob then return { purposes = {}, log = {} } end
  local v = cmsgpack.unpack(blob)
  return { purposes = v[1], log = v[2] }
end

-- read_id and read_bytes keep the live id as read, so a write that leaves it alone (a wrong code
-- counted) does not encode it again (~4 µs).
local function purpose_read(number, purpose)
  local p = number.purposes[purpose]
  if p == nil then return { cd = 0, log = {}, cf = 0, lu = 0 } end
  local id = p[1] ~= false and id_from_bytes(p[1]) or nil
  return { id = id, read_id = id, read_bytes = p[1], cd = p[2], log = p[3], cf = p[4], lu = p[5] }
end

local function purpose_put(number, purpose, s, now)
  if s.id == nil and s.cd <= now and #s.log == 0 and s.cf == 0 and s.lu <= now then
    number.purposes[purpose] = nil
  else
    local bytes = false
    if s.id ~= nil then bytes = s.id == s.read_id and s.read_bytes or id_to_bytes(s.id) end
    number.purposes[purpose] = { bytes, s.cd, s.log, s.cf, s.lu }
  end
end

-- The key keeps the longer of its current expiry and at_least ms, so it can never be left
-- without one (SET ... KEEPTTL on a key that has gone would). A state with nothing left goes.
local function number_write(key, number, at_least)
  if next(number.purposes) == nil and #number.log == 0 then
    redis.call('DEL', key)
    return
  end
  local ttl = math.max(redis.call('PTTL', key), at_least, 1)
  redis.call('SET', key, cmsgpack.pack({ number.purposes, number.log }), 'PX', ttl)
end

-- A record of this release keeps its number's wrong codes in a row for the purpose (rw) and the lockout's
-- end (lu) while it lives, so a check touches that one key; they go back to the number's state when the
-- record goes or is replaced. Never lowers what the state holds. A record of the release before has no rw:
-- its count is in the state already.
-- A lockout that has ended ends its count too: else one wrong code after it would lock again at once,
-- and again after each lockout, for as long as someone keeps trying (issue 12, point 6).
local function lockout_ended(s, now)
  if s.lu ~= 0 and s.lu <= now then s.cf, s.lu = 0, 0 end
end

local function fold_failures(s, r, now)
  lockout_ended(s, now)
  if r.rw ~= nil then
    s.cf = math.max(s.cf, r.rw)
    if r.lu ~= nil and r.lu > s.lu then s.lu = r.lu end
  end
  lockout_ended(s, now)
end

-- The other way: a record written from the state takes its count over (a lockout only while it runs).
local function hand_failures(r, s, now)
  r.rw, r.lu = s.cf, s.lu > now and s.lu or nil
end

-- A caller's own part of a number's state for a purpose (live verification, cooldown, wrong codes in a row,
-- lockout) is its slot, so one caller's start cannot replace another's verification nor its wrong codes lock
-- the number for everyone; each slot logs its caller's sends and the purpose's windows count every slot's
-- (purpose_times), so N callers cannot send N times the SMS (issue 12, point 6). Without an owner (engine tests; a release before this one, or
-- per-caller state off, which write no slot) the slot is that entry. With authentication off every call is the
-- anonymous caller, whose owner tag is not empty.
-- The owner tag's 6 bytes as they are: every byte of a number's state is kept as long as the number's windows.
local function slot_of(purpose, owner)
  if owner == nil or owner == '' then return purpose end
  return purpose .. '#' .. owner
end

-- The purpose's send window counts every caller's sends to the number: each slot logs its own caller's
-- (one entry, not two, per number and caller), and a start counts them all. own_log is own_slot's, pruned.
local function purpose_times(number, purpose, own_slot, own_log, after)
  local all = {}
  for i, t in ipairs(own_log) do all[i] = t end
  for slot, p in pairs(number.purposes) do
    if slot ~= own_slot and (slot == purpose or string.sub(slot, 1, #purpose + 1) == purpose .. '#') then
      for _, t in ipairs(p[3]) do if t > after then all[#all + 1] = t end end
    end
  end
  return all
end

local function is_live_in(number, slot, id)
  local p = number.purposes[slot]
  return p ~= nil and p[1] ~= false and id_from_bytes(p[1]) == id
end

-- Where record r (id) is live: its caller's slot, or the purpose's entry (written by a release before this
-- one, or with per-caller state off); where it would be when it is live in neither.
local function slot_for_record(number, r, id, per_caller)
  local own = slot_of(r.u, r.o)
  if own ~= r.u then
    if is_live_in(number, own, id) then return own end
    if is_live_in(number, r.u, id) then return r.u end
  end
  return per_caller and own or r.u
end

local function forget_if_current(number_key, r, id, now)
  local number = number_read(number_key)
  local slot = slot_for_record(number, r, id, false)
  local s = purpose_read(number, slot)
  if s.id == id then
    s.id = nil
    fold_failures(s, r, now)
    purpose_put(number, slot, s, now)
    number_write(number_key, number, math.max(1, s.lu - now))
  end
end

-- The live record at key, if owner may see it: else nil, and an expired record is removed.
-- Also the key of its number's state.
local function owned_live_record(key, number_prefix, id, owner, now)
  local r, blob = rec_read(key)
  if not r then return nil end
  local number_key = number_prefix .. r.n
  if r.x <= now then
    redis.call('DEL', key)
    forget_if_current(number_key, r, id, now)
    return nil
  end
  if (r.o or '') ~= owner then return nil end
  return r, blob, number_key
end

-- A sorted set of events scored by time (a counter's sends, an IP's guesses), limits "name|windowMs|max;...":
-- the first window it has filled and when its oldest event there leaves it (then one more fits), or nil.
local function zset_first_exceeded(key, now, limits)
  for name, window, max in string.gmatch(limits, '([^|;]+)|(%d+)|(%d+)') do
    window = tonumber(window)
    local after = '(' .. fmt(now - window)
    if redis.call('ZCOUNT', key, after, '+inf') >= tonumber(max) then
      local oldest = redis.call('ZRANGEBYSCORE', key, after, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
      return name, math.min(tonumber(oldest[2]) + window - now, window)
    end
  end
  return nil
end

local function times_read(key)
  local blob = redis.call('GET', key)
  if not blob then return {} end
  return cmsgpack.unpack(blob)
end
