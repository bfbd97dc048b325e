--[[
  Compare-and-delete: gives the lease up (clean shutdown) only if this owner holds it.

  KEYS[1] lease key
  ARGV[1] owner id

  Returns 1 when released, 0 when not held by this owner.
]]
if redis.call("GET", KEYS[1]) == ARGV[1] then
  redis.call("DEL", KEYS[1])
  return 1
end
return 0
