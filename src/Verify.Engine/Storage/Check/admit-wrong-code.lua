if too_late(@Deadline) then return { 'late' } end
-- A sorted set of guesses scored by time, one member per guess: exact over any window, and O(log n) however many
-- an address's limit allows (a log rewritten whole on each guess cost ~1 ms at thousands of entries).
local W, now, member, limits, keep = @WrongCodes, tonumber(@Now), @Member, @Limits, tonumber(@LongestMs)
redis.call('ZREMRANGEBYSCORE', W, '-inf', now - keep)
for name, window, max in string.gmatch(limits, '([^|;]+)|(%d+)|(%d+)') do
  window = tonumber(window)
  local after = '(' .. fmt(now - window)
  if redis.call('ZCOUNT', W, after, '+inf') >= tonumber(max) then
    local oldest = redis.call('ZRANGEBYSCORE', W, after, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
    return { 'throttled', name, math.min(tonumber(oldest[2]) + window - now, window) }
  end
end
-- Counted before the code is compared, so concurrent guesses from one client cannot all slip under the limit;
-- a check that turns out not to be a wrong code takes its member back (refund-counter).
redis.call('ZADD', W, now, member)
redis.call('PEXPIRE', W, math.max(1, keep))
return { 'admitted' }
