--[[
  Outbox step (2b): seals the outbox written by scorerOutboxChunk: checks that every chunk of
  this write is there, stores "meta" and marks the period 'finalizing', atomically, fenced by the
  lease. From here on the outbox is what gets sent (now, or by the next leader after a crash).

  KEYS[1] lease key, KEYS[2] periods hash, KEYS[3] outbox hash of the period
  ARGV[1] owner id, ARGV[2] periodId, ARGV[3] period state JSON ('finalizing'),
  ARGV[4] write token, ARGV[5] number of fields the chunks wrote plus one ("w"); 0 = no chunk
  ARGV[6] meta JSON

  Returns 1 when sealed; 0 when this owner does not hold the lease (nothing written);
  -1 when the period's outbox is already sealed (nothing written);
  -3 when the outbox is not this write's or incomplete (nothing written).
]]
if redis.call("GET", KEYS[1]) ~= ARGV[1] then
  return 0
end
local st = redis.call("HGET", KEYS[2], ARGV[2])
if st and string.find(st, '"finalizing"', 1, true) then
  return -1
end
if tonumber(ARGV[5]) == 0 then
  redis.call("DEL", KEYS[3])
elseif redis.call("HGET", KEYS[3], "w") ~= ARGV[4] or redis.call("HLEN", KEYS[3]) ~= tonumber(ARGV[5]) then
  return -3
end
redis.call("HSET", KEYS[3], "meta", ARGV[6])
redis.call("HSET", KEYS[2], ARGV[2], ARGV[3])
return 1
