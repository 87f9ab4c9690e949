-- L2 cache read in ONE round trip. KEYS[1]: the path's purge generation, KEYS[2]: the entry (hash
-- {g = generation when stored, v = bytes}). An entry stored before the last purge is not returned.
local g = redis.call('GET', KEYS[1]) or '0'
local r = redis.call('HMGET', KEYS[2], 'g', 'v')
if r[1] == g then return r[2] end
return false
