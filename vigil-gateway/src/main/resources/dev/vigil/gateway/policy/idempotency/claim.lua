-- Claim an idempotency key in ONE round trip. KEYS[1]: the record (a hash).
-- ARGV[1]: fingerprint, ARGV[2]: claim token, ARGV[3]: in-flight deadline, ms.
-- The in-flight record expires by itself at the deadline, so a crashed gateway never locks a key.
local r = redis.call('HMGET', KEYS[1], 's', 'fp', 'st', 'h', 'b')
if not r[1] then
  redis.call('HSET', KEYS[1], 's', '1', 'fp', ARGV[1], 'tok', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return {'claimed'}
end
if r[2] ~= ARGV[1] then return {'mismatch'} end
if r[1] == '1' then return {'inflight'} end
if r[1] == '2' then return {'completed', r[3], r[4], r[5]} end
return {'unreplayable', r[3]}
