--[[
  Applies a batch of the compacted roster topic: upserts and tombstones of staff profiles,
  with the partition's next offset, atomically.

  Input:
    KEYS[1] roster hash (staffId -> profile JSON)
    KEYS[2] offsets hash of the roster
    ARGV[1] offsets field, ARGV[2] first offset, ARGV[3] next offset
    ARGV[4..] pairs: staffId, profile JSON ("" = tombstone: remove)

  Output: {CODE.STALE, storedOffset} when stale, {CODE.APPLIED} when applied (CODE: APPLY_CODES in scripts.ts).
]]
--- @include "codes"
--- @include "checkOffset"

local stale = checkOffset(KEYS[2], ARGV[1], ARGV[2], true)
if stale then
  return {CODE.STALE, stale}
end
for i = 4, #ARGV, 2 do
  if ARGV[i + 1] == "" then
    redis.call("HDEL", KEYS[1], ARGV[i])
  else
    redis.call("HSET", KEYS[1], ARGV[i], ARGV[i + 1])
  end
end
redis.call("HSET", KEYS[2], ARGV[1], ARGV[3])
return {CODE.APPLIED}
