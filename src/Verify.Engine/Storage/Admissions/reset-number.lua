local now, purpose = tonumber(@Now), @Purpose
local number = number_read(@Number)
if purpose == '' then
  number.log = {}
else
  -- The purpose's entry and every caller's slot of it.
  local slots = {}
  for slot, _ in pairs(number.purposes) do
    if slot == purpose or string.sub(slot, 1, #purpose + 1) == purpose .. '#' then slots[#slots + 1] = slot end
  end
  for _, slot in ipairs(slots) do
    local state = purpose_read(number, slot)
    state.cd, state.log, state.cf, state.lu = 0, {}, 0, 0
    -- The live record's copy of the wrong codes in a row goes too.
    if state.id ~= nil then
      local key = @RecordPrefix .. state.id
      local r = rec_read(key)
      if r ~= nil and r.rw ~= nil then
        r.rw, r.lu = 0, nil
        rec_update(key, r)
      end
    end
    purpose_put(number, slot, state, now)
  end
end
number_write(@Number, number, 1)
return 1
