--[[
  Outbox step (4), and the bookkeeping after a PROVISIONAL send: records what was published,
  optionally moves the period state and deletes the outbox, atomically, fenced by the lease.

  KEYS[1] lease key, KEYS[2] periods hash, KEYS[3] published hash of the period, KEYS[4] outbox hash
  ARGV[1] owner id, ARGV[2] periodId
  ARGV[3] new period state JSON, or "" to leave the state alone
  ARGV[4] TTL of the published hash in seconds
  ARGV[5] "1" to delete the outbox
  ARGV[6..] pairs: staffId, published JSON

  Returns CODE.OK when committed, CODE.NOT_LEASE_HOLDER when this owner does not hold the lease
  (nothing written) (CODE: SCRIPT_CODES in scripts.ts).
]]
--- @include "codes"
--- @include "checkLease"

if not holdsLease(KEYS[1], ARGV[1]) then
  return CODE.NOT_LEASE_HOLDER
end
for i = 6, #ARGV, 2 do
  redis.call("HSET", KEYS[3], ARGV[i], ARGV[i + 1])
end
if #ARGV >= 6 then
  redis.call("EXPIRE", KEYS[3], ARGV[4])
end
if ARGV[3] ~= "" then
  redis.call("HSET", KEYS[2], ARGV[2], ARGV[3])
end
if ARGV[5] == "1" then
  redis.call("DEL", KEYS[4])
end
return CODE.OK
