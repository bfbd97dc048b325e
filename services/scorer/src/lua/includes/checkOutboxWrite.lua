--[[
  Guard of the outbox writes (chunk, seal), after "codes" and "checkLease": only the lease
  holder writes, and only while the period's outbox is not sealed (a period in state
  'finalizing' has a sealed outbox that must be sent first). Returns the code refusing the
  write, or nil when it may go on.
]]
local function outboxWriteRefused(leaseKey, owner, periodsKey, periodId)
  if not holdsLease(leaseKey, owner) then
    return CODE.NOT_LEASE_HOLDER
  end
  local st = redis.call("HGET", periodsKey, periodId)
  if st and string.find(st, '"finalizing"', 1, true) then
    return CODE.OUTBOX_SEALED
  end
  return nil
end
