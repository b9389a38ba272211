if too_late(@Deadline) then return { 'late' } end
local R = @Record
local now, number_prefix, id, owner = tonumber(@Now), @NumberPrefix, @Id, @Owner
local r, blob, N = owned_live_record(R, number_prefix, id, owner, now)
if not r then return { 'notfound' } end
if r.s ~= 0 then return { 'notpending', blob } end
redis.call('DEL', R)
forget_if_current(N, r, id, now)
r.s = 2
return { 'canceled', rec_encode(r) }
