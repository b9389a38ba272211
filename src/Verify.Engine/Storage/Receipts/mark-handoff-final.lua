local v = redis.call('GET', @Handoff)
if not v or string.sub(v, -1) ~= '0' then return 0 end
redis.call('SET', @Handoff, string.sub(v, 1, -2) .. '1', 'KEEPTTL')
return 1
