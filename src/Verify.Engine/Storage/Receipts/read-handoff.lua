local v = redis.call('GET', @Handoff)
if not v then return false end
local id, sid, sent, region = string.match(v, '^([^|]*)|([^|]*)|([^|]*)|([^|]*)|[01]$')
if not id then return false end
return { id, sid, sent, region }
