local now, keep = tonumber(@Now), tonumber(@KeepMs)
redis.call('ZREMRANGEBYSCORE', @Approvals, '-inf', now - keep)
redis.call('ZADD', @Approvals, now, @Member)
redis.call('PEXPIRE', @Approvals, keep)
return 1
