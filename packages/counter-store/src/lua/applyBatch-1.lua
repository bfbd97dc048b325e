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
    ARGV[6] G = number of seen-sets, then per set: suffix, N, then N event ids
            (events are numbered 1.. in this order across the sets)
    then H = number of hashes, then per hash: suffix, ttl seconds (0 = none), F, then F pairs: field, increment
    then S = number of sets, then per set: suffix, ttl seconds (0 = none), M, then M members

  Output:
    {0, storedOffset}      stale: part of the batch is applied already; nothing changed
    {1, i1, i2, ...}       numbers of the events already seen; nothing changed (re-send without them)
    {2}                    applied
]]
--- @include "checkOffset"
--- @include "saddAll"

local prefix = ARGV[1]
local stale = checkOffset(KEYS[1], ARGV[2], ARGV[3])
if stale then
  return {0, stale}
end

-- Dedupe: one SMISMEMBER per seen-set for the whole batch.
local nGroups = tonumber(ARGV[6])
local pos = 7
local dups = {}
local number = 0
for _ = 1, nGroups do
  local n = tonumber(ARGV[pos + 1])
  -- In slices, like saddAll: unpack() of more than ~8000 values fails (a 2 MB fetch holds ~20k).
  for from = 1, n, 5000 do
    local to = math.min(from + 4999, n)
    local seen = redis.call("SMISMEMBER", prefix .. ARGV[pos], unpack(ARGV, pos + 1 + from, pos + 1 + to))
    for j = 1, to - from + 1 do
      if seen[j] == 1 then dups[#dups + 1] = number + from - 1 + j end
    end
  end
  number = number + n
  pos = pos + 2 + n
end
if #dups > 0 then
  table.insert(dups, 1, 1)
  return dups
end
pos = 7
for _ = 1, nGroups do
  local key = prefix .. ARGV[pos]
  local n = tonumber(ARGV[pos + 1])
  saddAll(key, ARGV, pos + 2, pos + 1 + n)
  redis.call("PEXPIRE", key, ARGV[5])
  pos = pos + 2 + n
end

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
  saddAll(key, ARGV, pos + 3, pos + 2 + nMembers)
  pos = pos + 3 + nMembers
  if ttl > 0 then redis.call("EXPIRE", key, ttl) end
end

redis.call("HSET", KEYS[1], ARGV[2], ARGV[4])
return {2}
