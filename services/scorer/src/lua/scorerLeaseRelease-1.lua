--[[
  Compare-and-delete: gives the lease up (clean shutdown) only if this owner holds it.

  KEYS[1] lease key
  ARGV[1] owner id

  Returns CODE.OK when released, CODE.NOT_LEASE_HOLDER when not held by this owner (CODE: SCRIPT_CODES in scripts.ts).
]]
--- @include "codes"
--- @include "checkLease"

if holdsLease(KEYS[1], ARGV[1]) then
  redis.call("DEL", KEYS[1])
  return CODE.OK
end
return CODE.NOT_LEASE_HOLDER
