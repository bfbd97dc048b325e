--[[
  Applies one batch of one topic-partition atomically: dedupe, counter increments, set adds
  and the partition's next offset, all or nothing, so Redis and the resume point always agree.
  Every key lives in the shard's hash slot: KEYS[1] = "<prefix>:{s<shard>}:offsets" and
  the other keys are built from ARGV[1], which carries the same hash tag (BullMQ style).

  Input:
    KEYS[1] offsets hash (field "<topic>:<partition>" -> next offset to apply)
    ARGV[1] key prefix of the shard, e.g. "cs:{s3}:"
    ARGV[2] offsets field
    ARGV[3] first offset of the batch
    ARGV[4] next offset after the batch
    ARGV[5] dedupe horizon in ms (TTL of the seen-sets)
    ARGV[6] E = number of events, then E pairs: seen-set suffix, eventId
    then H = number of hashes, then per hash: suffix, ttl seconds (0 = none), F, then F pairs: field, increment
    then S = number of sets, then per set: suffix, ttl seconds (0 = none), M, then M members

  Output:
    {0, storedOffset}      stale: part of the batch is applied already; nothing changed
    {1, i1, i2, ...}       1-based indices of events already seen; nothing changed (re-send without them)
    {2}                    applied
]]
--- @include "checkOffset"

local prefix = ARGV[1]
local stale = checkOffset(KEYS[1], ARGV[2], ARGV[3])
if stale then
  return {0, stale}
end

local nEvents = tonumber(ARGV[6])
local dups = {}
for i = 1, nEvents do
  local at = 6 + (i - 1) * 2
  if redis.call("SISMEMBER", prefix .. ARGV[at + 1], ARGV[at + 2]) == 1 then
    dups[#dups + 1] = i
  end
end
if #dups > 0 then
  table.insert(dups, 1, 1)
  return dups
end

local horizonMs = ARGV[5]
local lastSeen = nil
for i = 1, nEvents do
  local at = 6 + (i - 1) * 2
  local seenKey = prefix .. ARGV[at + 1]
  redis.call("SADD", seenKey, ARGV[at + 2])
  if seenKey ~= lastSeen then
    redis.call("PEXPIRE", seenKey, horizonMs)
    lastSeen = seenKey
  end
end

local pos = 7 + nEvents * 2
local nHashes = tonumber(ARGV[pos]); pos = pos + 1
for _ = 1, nHashes do
  local key = prefix .. ARGV[pos]
  local ttl = tonumber(ARGV[pos + 1])
  local nFields = tonumber(ARGV[pos + 2])
  pos = pos + 3
  for _ = 1, nFields do
    -- Always the float command: scores may be fractional (87.5), and HINCRBY on a field that
    -- once took a fraction would fail half-way through the script (no rollback in Redis).
    -- Integral sums stay exact (long double) and print without a decimal point.
    redis.call("HINCRBYFLOAT", key, ARGV[pos], ARGV[pos + 1])
    pos = pos + 2
  end
  if ttl > 0 then redis.call("EXPIRE", key, ttl) end
end

local nSets = tonumber(ARGV[pos]); pos = pos + 1
for _ = 1, nSets do
  local key = prefix .. ARGV[pos]
  local ttl = tonumber(ARGV[pos + 1])
  local nMembers = tonumber(ARGV[pos + 2])
  pos = pos + 3
  for j = 0, nMembers - 1 do
    redis.call("SADD", key, ARGV[pos + j])
  end
  pos = pos + nMembers
  if ttl > 0 then redis.call("EXPIRE", key, ttl) end
end

redis.call("HSET", KEYS[1], ARGV[2], ARGV[4])
return {2}
