-- L2 cache write. KEYS[1]: purge generation, KEYS[2]: entry. ARGV[1]: bytes, ARGV[2]: ttl ms.
local g = redis.call('GET', KEYS[1]) or '0'
redis.call('HSET', KEYS[2], 'g', g, 'v', ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1
