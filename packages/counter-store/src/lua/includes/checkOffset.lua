--[[
  Exactly-once guard shared by the apply scripts: the stored offset of a topic-partition is the
  next offset to apply (none stored = 0). A batch may be applied only when every message in it is
  at or after that offset; otherwise it (or part of it) was applied already, by us before a crash
  or by a zombie consumer after a rebalance. A batch that starts AFTER the stored offset would
  leave a hole: Redis lost writes the caller believed applied (a restart without AOF, or the last
  second of an everysec AOF), so it is refused too and the caller re-reads from the stored offset.
  Compacted topics (the roster) have legitimate holes: they pass gapsAllowed. Transaction markers
  and aborted records are no holes: they take offsets a read_committed consumer never gets as
  messages, so the caller starts a batch at the stored offset when the batch's first record
  (marker or not) is at or before it, ends it after the batch's last record (lastOffset() + 1),
  and moves the offset past a fetch of nothing but such records with advanceOffset-1.lua.
  Returns nil when the batch may go on, else the stored offset ("0" when none is stored).
]]
local function checkOffset(offsetsKey, field, firstOffset, gapsAllowed)
  local stored = redis.call("HGET", offsetsKey, field)
  local first = tonumber(firstOffset)
  if stored and tonumber(stored) > first then
    return stored
  end
  if not gapsAllowed and tonumber(stored or "0") < first then
    return stored or "0"
  end
  return nil
end
