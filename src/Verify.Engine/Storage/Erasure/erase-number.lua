-- Erases what the number's slot holds about its verifications, in one step: every record a slot of any
-- purpose names (live, or kept past its code's expiry for the wrong codes in a row it holds) is deleted,
-- and the slot forgets its id. What limits the number stays, so erasure cannot be used to lift them:
-- the send logs, cooldowns, wrong codes in a row and lockouts (a record's count and lockout are folded
-- into its slot first, and a used-up verification's wait becomes a cooldown until its expiry, which is
-- what a start would have refused for). The state's key (the number in its name) keeps its TTL.
-- Returns {'late'} | {'erased', ids erased (array), state's PTTL ms (-2 when it is gone)}.
if too_late(@Deadline) then return { 'late' } end
local N = @Number
local now, record_prefix = tonumber(@Now), @RecordPrefix
local number = number_read(N)
local slots = {}
for slot, _ in pairs(number.purposes) do slots[#slots + 1] = slot end
local erased = {}
for _, slot in ipairs(slots) do
  local s = purpose_read(number, slot)
  if s.id ~= nil then
    local key = record_prefix .. s.id
    local r = rec_read(key)
    if r ~= nil then
      fold_failures(s, r, now)
      if r.s == 4 and r.x > now and r.x > s.cd then s.cd = r.x end
      redis.call('DEL', key)
      erased[#erased + 1] = s.id
    end
    s.id = nil
  end
  purpose_put(number, slot, s, now)
end
if #slots > 0 then
  local keep = 1
  for _, p in pairs(number.purposes) do keep = math.max(keep, p[2] - now, p[5] - now) end
  number_write(N, number, keep)
end
return { 'erased', erased, redis.call('PTTL', N) }
