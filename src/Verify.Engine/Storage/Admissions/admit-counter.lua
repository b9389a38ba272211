if too_late(@Deadline) then return { 'late' } end
local S, A, B = @Sends, @Approvals, @Block
local now, member, scope, limits, keep = tonumber(@Now), @Member, @Scope, @Limits, tonumber(@KeepMs)
local pumping = @Pumping
local blocked = tonumber(redis.call('GET', B) or '0')
if blocked > now then return { 'throttled', scope .. ':pumping', blocked - now, 0 } end
redis.call('ZREMRANGEBYSCORE', S, '-inf', now - keep)
local name, retry = zset_first_exceeded(S, now, limits)
if name then return { 'throttled', scope .. ':' .. name, retry, 0 } end
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
