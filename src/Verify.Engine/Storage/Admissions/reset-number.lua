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
