local N, R, PREV = @Number, @Record, @Previous
local now, send_id, send_time, stored_id, purpose, previous_id = tonumber(@Now), @SendId, tonumber(@SendTime), @StoredId, @Purpose, @PreviousId
local per_caller = @PerCaller == '1'
local number = number_read(N)
-- The send was logged in the starting caller's slot; the record, cooldown and wrong codes are in the slot the
-- verification is live in (the same one, but for a verification a release before this one started).
local log_slot = per_caller and slot_of(purpose, @Owner) or purpose
local logged = purpose_read(number, log_slot)
logged.log = times_remove_one(logged.log, send_time)
number.log = times_remove_one(number.log, send_time)
local stored = rec_read(R)
local slot = stored ~= nil and slot_for_record(number, stored, stored_id, per_caller) or log_slot
local state = slot == log_slot and logged or purpose_read(number, slot)
local keep_for = 1
if stored ~= nil and stored.sid == send_id then
  -- Wrong codes in a row counted while the send was tried stay counted, in the state and in the record put back.
  fold_failures(state, stored, now)
  state.cd = 0
  if stored.s ~= 0 then
    -- It ended while the send was tried (out of attempts, or burned by a wrong transaction; an approval or a
    -- cancel deletes it): it stays ended, and the number keeps pointing at it, so a start answers as it says.
    keep_for = math.max(1, stored.x - now)
  else
    redis.call('DEL', R)
    if state.id == stored_id then state.id = nil end
    if previous_id ~= '' then
      local previous = rec_decode(@PreviousRecord)
      local left = previous.x - now
      -- A resend keeps its id: the wrong codes checked while the send was tried stay counted on it.
      if previous_id == stored_id then previous.f = math.max(previous.f, stored.f) end
      if previous.rw ~= nil then hand_failures(previous, state, now) end
      if left > 0 then
        rec_write(PREV, previous, left)
        state.id, keep_for = previous_id, left
      end
    end
  end
end
purpose_put(number, slot, state, now)
if slot ~= log_slot then purpose_put(number, log_slot, logged, now) end
number_write(N, number, math.max(keep_for, state.lu - now))
return 1
