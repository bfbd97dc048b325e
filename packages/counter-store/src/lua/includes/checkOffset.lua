--[[
  Exactly-once guard shared by the apply scripts: the stored offset of a topic-partition is the
  next offset to apply. A batch may be applied only when every message in it is at or after
  that offset; otherwise it (or part of it) was applied already, by us before a crash or by a
  zombie consumer after a rebalance. Returns nil when the batch may go on, else the stored offset.
]]
local function checkOffset(offsetsKey, field, firstOffset)
  local stored = redis.call("HGET", offsetsKey, field)
  if stored and tonumber(stored) > tonumber(firstOffset) then
    return stored
  end
  return nil
end
