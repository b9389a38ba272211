local r = rec_read(@Record)
if r == nil or r.sid ~= @SendId or r.x <= tonumber(@Now) then return 0 end
local from, to = r.d, tonumber(@State)
local function rank(state) if state >= 2 then return 2 end return state end
if from >= 2 or rank(to) <= rank(from) then return 0 end
r.d = to
rec_update(@Record, r)
return 1
