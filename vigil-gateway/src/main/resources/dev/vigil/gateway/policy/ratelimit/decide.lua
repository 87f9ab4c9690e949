-- Vigil rate-limit decision: every limit of one request, atomically, in ONE round trip.
-- Time is the Redis server's (TIME), in microseconds, so gateway clocks never matter.
-- KEYS[i]: one key per limit (hash-tagged by tenant; see RedisRateLimiter).
-- ARGV[3i-2]: 'g' (GCRA) or 'q' (fixed-window quota)
-- ARGV[3i-1]: GCRA emission interval T / quota window, microseconds (may be fractional)
-- ARGV[3i]:   GCRA tolerance tau, microseconds / quota count
-- Returns {allowed, retry_us, ok_1, remaining_1, reset_us_1, ok_2, ...}; writes only if allowed.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local allowed = 1
local retry = 0
local out = {0, 0}
local writes = {}
for i = 1, #KEYS do
  local kind = ARGV[3 * i - 2]
  local a = tonumber(ARGV[3 * i - 1])
  local b = tonumber(ARGV[3 * i])
  local ok, rem, reset
  if kind == 'g' then
    local tat = tonumber(redis.call('GET', KEYS[i]) or '0')
    if tat < now then tat = now end
    local diff = tat + a - now
    if diff > b then
      ok = 0; rem = 0; reset = diff - b   -- the same moment as Retry-After
      if diff - b > retry then retry = diff - b end
    else
      ok = 1; rem = math.floor((b - diff) / a); reset = diff
      writes[i] = tat + a
    end
  else
    local window = math.floor(now / a)
    local h = redis.call('HMGET', KEYS[i], 'w', 'c')
    local count = 0
    if h[1] and tonumber(h[1]) == window then count = tonumber(h[2]) end
    reset = (window + 1) * a - now
    if count >= b then
      ok = 0; rem = 0
      if reset > retry then retry = reset end
    else
      ok = 1; rem = b - count - 1
      writes[i] = {window, count + 1, reset}
    end
  end
  if ok == 0 then allowed = 0 end
  out[#out + 1] = ok
  out[#out + 1] = rem
  out[#out + 1] = math.ceil(reset)
end
if allowed == 1 then
  for i = 1, #KEYS do
    local w = writes[i]
    if ARGV[3 * i - 2] == 'g' then
      -- %.3f keeps the double exact (1.7e15 µs has ~0.25 µs resolution); expires once meaningless
      redis.call('SET', KEYS[i], string.format('%.3f', w), 'PX', math.ceil((w - now) / 1000) + 1)
    else
      redis.call('HSET', KEYS[i], 'w', string.format('%d', w[1]), 'c', string.format('%d', w[2]))
      redis.call('PEXPIRE', KEYS[i], math.ceil(w[3] / 1000) + 1000)
    end
  end
end
out[1] = allowed
out[2] = math.ceil(retry)
return out
