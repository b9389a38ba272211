if too_late(@Deadline) then return { 'late' } end
-- A sorted set of guesses scored by time, one member per guess: exact over any window, and O(log n) however many
-- an address's limit allows (a log rewritten whole on each guess cost ~1 ms at thousands of entries).
local W, now, member, limits, keep = @WrongCodes, tonumber(@Now), @Member, @Limits, tonumber(@LongestMs)
redis.call('ZREMRANGEBYSCORE', W, '-inf', now - keep)
local name, retry = zset_first_exceeded(W, now, limits)
if name then return { 'throttled', name, retry } end
-- Counted before the code is compared, so concurrent guesses from one client cannot all slip under the limit;
-- a check that turns out not to be a wrong code takes its member back (refund-counter).
redis.call('ZADD', W, now, member)
redis.call('PEXPIRE', W, math.max(1, keep))
return { 'admitted' }
