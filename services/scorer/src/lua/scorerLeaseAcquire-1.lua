--[[
  Takes the publishing lease, or extends it when this owner already holds it (a restart with a
  stable CS_SCORER_ID resumes at once).

  KEYS[1] lease key (string: owner id)
  ARGV[1] owner id, ARGV[2] lease TTL in ms

  Returns CODE.OK when ARGV[1] holds the lease after the call, else CODE.NOT_LEASE_HOLDER (CODE: SCRIPT_CODES in scripts.ts).
]]
--- @include "codes"

local cur = redis.call("GET", KEYS[1])
if cur == ARGV[1] then
  redis.call("PEXPIRE", KEYS[1], ARGV[2])
  return CODE.OK
end
if cur then
  return CODE.NOT_LEASE_HOLDER
end
redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[2])
return CODE.OK
