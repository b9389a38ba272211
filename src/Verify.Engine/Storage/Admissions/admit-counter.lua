if too_late(@Deadline) then return { 'late' } end
local S, A, B = @Sends, @Approvals, @Block
local now, member, scope, limits, keep = tonumber(@Now), @Member, @Scope, @Limits, tonumber(@KeepMs)
local pumping = @Pumping
local blocked = tonumber(redis.call('GET', B) or '0')
if blocked > now then return { 'throttled', scope .. ':pumping', blocked - now, 0 } end
redis.call('ZREMRANGEBYSCORE', S, '-inf', now - keep)
for name, window, max in string.gmatch(limits, '([^|;]+)|(%d+)|(%d+)') do
  window = tonumber(window)
  local after = '(' .. fmt(now - window)
  if redis.call('ZCOUNT', S, after, '+inf') >= tonumber(max) then
    local oldest = redis.call('ZRANGEBYSCORE', S, after, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
    return { 'throttled', scope .. ':' .. name, math.min(tonumber(oldest[2]) + window - now, window), 0 }
  end
end
if pumping ~= '' then
  local window, settle, min_sends, min_conversion, block = string.match(pumping, '^(%d+)|(%d+)|(%d+)|([%d.]+)|(%d+)$')
  window, settle, block = tonumber(window), tonumber(settle), tonumber(block)
  local settled = redis.call('ZCOUNT', S, '(' .. fmt(now - window), fmt(now - settle))
  redis.call('ZREMRANGEBYSCORE', A, '-inf', now - window)
  local approved = redis.call('ZCARD', A)
  if settled >= tonumber(min_sends) and approved < tonumber(min_conversion) * settled then
    redis.call('SET', B, fmt(now + block), 'PX', block)
    return { 'throttled', scope .. ':pumping', block, 1 }
  end
end
redis.call('ZADD', S, now, member)
redis.call('PEXPIRE', S, keep)
return { 'admitted' }
