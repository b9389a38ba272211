-- Patches the delivery status in place: a start's last step, so it skips decoding the whole record.
local blob = redis.call('GET', @Record)
if not blob then return 0 end
local v = cmsgpack.unpack(blob)
if v[REC_SID] ~= @SendId then return 0 end
v[REC_D] = 1
redis.call('SET', @Record, cmsgpack.pack(v), 'KEEPTTL')
return 1
