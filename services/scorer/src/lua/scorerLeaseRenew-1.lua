--[[
  Compare-and-extend: extends the lease only if this owner still holds it.

  KEYS[1] lease key
  ARGV[1] owner id, ARGV[2] lease TTL in ms

  Returns CODE.OK when extended, CODE.NOT_LEASE_HOLDER when the lease is gone or someone else's
  (stop publishing) (CODE: SCRIPT_CODES in scripts.ts).
]]
--- @include "codes"
--- @include "checkLease"

if holdsLease(KEYS[1], ARGV[1]) then
  redis.call("PEXPIRE", KEYS[1], ARGV[2])
  return CODE.OK
end
return CODE.NOT_LEASE_HOLDER
