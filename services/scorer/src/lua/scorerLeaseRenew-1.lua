--[[
  Compare-and-extend: extends the lease only if this owner still holds it.

  KEYS[1] lease key
  ARGV[1] owner id, ARGV[2] lease TTL in ms

  Returns 1 when extended, 0 when the lease is gone or someone else's (stop publishing).
]]
if redis.call("GET", KEYS[1]) == ARGV[1] then
  redis.call("PEXPIRE", KEYS[1], ARGV[2])
  return 1
end
return 0
