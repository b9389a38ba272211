local T, C, tag, country = @Times, @Countries, @Tag, @Country
local times = times_remove_one(times_read(T), tonumber(@SendTime))
if #times == 0 then
  redis.call('DEL', T)
else
  redis.call('SET', T, cmsgpack.pack(times), 'KEEPTTL')
end
local seen = redis.call('HGET', C, country)
if seen and string.sub(seen, -#tag) == tag then redis.call('HDEL', C, country) end
return 1
