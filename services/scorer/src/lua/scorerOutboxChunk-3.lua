--[[
  Outbox step (2a): stores one chunk of the records of a FINAL/REVISED publication of a period,
  fenced by the lease. The period is not marked yet (scorerOutboxSeal does that once every chunk
  is in), so an interrupted write leaves an unsealed outbox that nobody sends; the next write of
  the period replaces it.

  KEYS[1] lease key, KEYS[2] periods hash, KEYS[3] outbox hash of the period
  ARGV[1] owner id, ARGV[2] periodId, ARGV[3] write token, ARGV[4] "1" for the first chunk
  ARGV[5..] field, value pairs ("b:<j>", "p:<j>")

  Returns (CODE: SCRIPT_CODES in scripts.ts)
    CODE.OK when written;
    CODE.NOT_LEASE_HOLDER when this owner does not hold the lease (nothing written);
    CODE.OUTBOX_SEALED when the period's outbox is sealed (state 'finalizing': send that one first; nothing written);
    CODE.OUTBOX_REPLACED when the outbox is no longer this write's (another write of the period started; nothing written).
]]
--- @include "codes"
--- @include "checkLease"
--- @include "checkOutboxWrite"

local refused = outboxWriteRefused(KEYS[1], ARGV[1], KEYS[2], ARGV[2])
if refused then
  return refused
end
if ARGV[4] == "1" then
  -- Not sealed, so whatever is there is a partial outbox of an interrupted write: start over.
  redis.call("DEL", KEYS[3])
  redis.call("HSET", KEYS[3], "w", ARGV[3])
elseif redis.call("HGET", KEYS[3], "w") ~= ARGV[3] then
  return CODE.OUTBOX_REPLACED
end
-- HSET with many pairs at once, in slices under Lua's C stack limit (unpack).
for i = 5, #ARGV, 4000 do
  redis.call("HSET", KEYS[3], unpack(ARGV, i, math.min(i + 3999, #ARGV)))
end
return CODE.OK
