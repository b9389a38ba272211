local now, purpose = tonumber(@Now), @Purpose
local number = number_read(@Number)
if purpose == '' then
  number.log = {}
else
  local state = purpose_read(number, purpose)
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
  purpose_put(number, purpose, state, now)
end
number_write(@Number, number, 1)
return 1
