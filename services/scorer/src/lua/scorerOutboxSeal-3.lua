--[[
  Outbox step (2b): seals the outbox written by scorerOutboxChunk: checks that every chunk of
  this write is there, stores "meta" and marks the period 'finalizing', atomically, fenced by the
  lease. From here on the outbox is what gets sent (now, or by the next leader after a crash).

  KEYS[1] lease key, KEYS[2] periods hash, KEYS[3] outbox hash of the period
  ARGV[1] owner id, ARGV[2] periodId, ARGV[3] period state JSON ('finalizing'),
  ARGV[4] write token, ARGV[5] number of fields the chunks wrote plus one ("w"); 0 = no chunk
  ARGV[6] meta JSON

  Returns (CODE: SCRIPT_CODES in scripts.ts)
    CODE.OK when sealed;
    CODE.NOT_LEASE_HOLDER when this owner does not hold the lease (nothing written);
    CODE.OUTBOX_SEALED when the period's outbox is already sealed (nothing written);
    CODE.OUTBOX_REPLACED when the outbox is not this write's or incomplete (nothing written).
]]
--- @include "codes"
--- @include "checkLease"
--- @include "checkOutboxWrite"

local refused = outboxWriteRefused(KEYS[1], ARGV[1], KEYS[2], ARGV[2])
if refused then
  return refused
end
if tonumber(ARGV[5]) == 0 then
  redis.call("DEL", KEYS[3])
elseif redis.call("HGET", KEYS[3], "w") ~= ARGV[4] or redis.call("HLEN", KEYS[3]) ~= tonumber(ARGV[5]) then
  return CODE.OUTBOX_REPLACED
end
redis.call("HSET", KEYS[3], "meta", ARGV[6])
redis.call("HSET", KEYS[2], ARGV[2], ARGV[3])
return CODE.OK
