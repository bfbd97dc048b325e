--[[
  Outbox step (2a): stores one chunk of the records of a FINAL/REVISED publication of a period,
  fenced by the lease. The period is not marked yet (scorerOutboxSeal does that once every chunk
  is in), so an interrupted write leaves an unsealed outbox that nobody sends; the next write of
  the period replaces it.

  KEYS[1] lease key, KEYS[2] periods hash, KEYS[3] outbox hash of the period
  ARGV[1] owner id, ARGV[2] periodId, ARGV[3] write token, ARGV[4] "1" for the first chunk
  ARGV[5..] field, value pairs ("m:<i>", "p:<j>")

  Returns 1 when written; 0 when this owner does not hold the lease (nothing written);
  -1 when the period's outbox is sealed (state 'finalizing': send that one first; nothing written);
  -3 when the outbox is no longer this write's (another write of the period started; nothing written).
]]
if redis.call("GET", KEYS[1]) ~= ARGV[1] then
  return 0
end
local st = redis.call("HGET", KEYS[2], ARGV[2])
if st and string.find(st, '"finalizing"', 1, true) then
  return -1
end
if ARGV[4] == "1" then
  -- Not sealed, so whatever is there is a partial outbox of an interrupted write: start over.
  redis.call("DEL", KEYS[3])
  redis.call("HSET", KEYS[3], "w", ARGV[3])
elseif redis.call("HGET", KEYS[3], "w") ~= ARGV[3] then
  return -3
end
-- HSET with many pairs at once, in slices under Lua's C stack limit (unpack).
for i = 5, #ARGV, 4000 do
  redis.call("HSET", KEYS[3], unpack(ARGV, i, math.min(i + 3999, #ARGV)))
end
return 1
