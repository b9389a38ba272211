redis.call('ZREM', @Sends, @Member)
return 1
