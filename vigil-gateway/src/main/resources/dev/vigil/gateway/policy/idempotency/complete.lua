-- Finish a claim. KEYS[1]: the record. ARGV: token, state ('2' replayable / '3' not), status,
-- headers blob, body, ttl ms. Refuses (0) when the claim is no longer ours.
local r = redis.call('HMGET', KEYS[1], 's', 'tok')
if r[1] ~= '1' or r[2] ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 's', ARGV[2], 'st', ARGV[3], 'h', ARGV[4], 'b', ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
return 1
