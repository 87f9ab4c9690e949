-- Drop our in-flight claim (the upstream was never reached). KEYS[1]: the record, ARGV[1]: token.
local r = redis.call('HMGET', KEYS[1], 's', 'tok')
if r[1] == '1' and r[2] == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
