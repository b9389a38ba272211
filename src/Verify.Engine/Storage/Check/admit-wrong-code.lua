if too_late(@Deadline) then return { 'late' } end
local W, now, limits, longest = @WrongCodes, tonumber(@Now), @Limits, tonumber(@LongestMs)
local times = times_prune(times_read(W), now - longest)
local name, retry = times_first_exceeded(times, now, limits)
if name then return { 'throttled', name, retry } end
-- Counted before the code is compared, so concurrent guesses from one client cannot all slip under
-- the limit; a check that turns out not to be a wrong code gives its entry back (refund-ip).
times[#times + 1] = now
redis.call('SET', W, cmsgpack.pack(times), 'PX', math.max(1, longest))
return { 'admitted' }
