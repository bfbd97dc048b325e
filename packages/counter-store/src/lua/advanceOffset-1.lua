--[[
  Moves a topic-partition's stored offset past records a read_committed consumer never gets as
  messages: transaction markers and aborted records. kafkajs resolves a fetch that holds nothing
  else without calling eachBatch, so no apply script sees those offsets; without this the next
  batch would start after the stored offset (a hole, refused by checkOffset) and the offset
  would never reach the high watermark. The range [first, next) holds nothing to count, so only
  a stored offset inside it moves (to next); anything else is left alone.

  Input:
    KEYS[1] offsets hash (field "<topic>:<partition>" -> next offset to apply)
    ARGV[1] offsets field
    ARGV[2] first offset of the range
    ARGV[3] next offset after the range

  Output:
    {CODE.STALE, storedOffset}   left: the stored offset is outside the range (already past it, or a hole before it)
    {CODE.APPLIED}               advanced
  (CODE: APPLY_CODES in scripts.ts)
]]
--- @include "codes"

local stored = redis.call("HGET", KEYS[1], ARGV[1]) or "0"
local at = tonumber(stored)
if at >= tonumber(ARGV[2]) and at < tonumber(ARGV[3]) then
  redis.call("HSET", KEYS[1], ARGV[1], ARGV[3])
  return {CODE.APPLIED}
end
return {CODE.STALE, stored}
