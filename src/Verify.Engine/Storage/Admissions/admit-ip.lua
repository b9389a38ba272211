if too_late(@Deadline) then return { 'late' } end
local T, C = @Times, @Countries
local now, tag, limits, longest = tonumber(@Now), @Tag, @Limits, tonumber(@LongestMs)
local country, countries_window, max_countries = @Country, tonumber(@CountriesWindowMs), tonumber(@MaxCountries)
local times = times_prune(times_read(T), now - longest)
local name, retry = times_first_exceeded(times, now, limits)
if name then return { 'throttled', 'ip:' .. name, retry } end

local add_country = false
if max_countries > 0 then
  local seen = redis.call('HGETALL', C)
  local live, oldest = 0, nil
  for i = 1, #seen, 2 do
    local at = tonumber(string.match(seen[i + 1], '^(%d+)'))
    if at <= now - countries_window then
      redis.call('HDEL', C, seen[i])
    elseif seen[i] ~= country then
      live = live + 1
      if oldest == nil or at < oldest then oldest = at end
    end
  end
  if redis.call('HEXISTS', C, country) == 0 then
    if live >= max_countries then return { 'throttled', 'ip:countries', oldest + countries_window - now } end
    add_country = true
  end
end

if #limits > 0 then
  times[#times + 1] = now
  redis.call('SET', T, cmsgpack.pack(times), 'PX', math.max(1, longest))
end
if add_country then
  redis.call('HSET', C, country, fmt(now) .. ':' .. tag)
  redis.call('PEXPIRE', C, countries_window)
end
return { 'admitted' }
