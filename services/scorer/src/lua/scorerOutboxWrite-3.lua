--[[
  Outbox step (2): stores the records of a FINAL/REVISED publication of one period and marks
  the period 'finalizing', atomically, fenced by the lease.

  KEYS[1] lease key, KEYS[2] periods hash, KEYS[3] outbox hash of the period
  ARGV[1] owner id, ARGV[2] periodId, ARGV[3] period state JSON ('finalizing')
  ARGV[4..] field, value pairs of the outbox ("meta", "m:<i>")

  Returns 1 when written; 0 when this owner does not hold the lease (nothing written);
  -1 when an outbox of the period is already pending (nothing written: send that one first).
]]
if redis.call("GET", KEYS[1]) ~= ARGV[1] then
  return 0
end
if redis.call("EXISTS", KEYS[3]) == 1 then
  return -1
end
for i = 4, #ARGV, 2 do
  redis.call("HSET", KEYS[3], ARGV[i], ARGV[i + 1])
end
redis.call("HSET", KEYS[2], ARGV[2], ARGV[3])
return 1
