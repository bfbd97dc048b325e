--[[
  Applies a batch of the compacted, effective-dated roster topic atomically, with the partition's
  next offset. Each staff member's field holds their timeline: a JSON object from the effective
  date ("" = the base entry, in force since always) to the profile. A field still holding a bare
  profile (written before effective dates) is read as that profile's base entry.

  Input:
    KEYS[1] roster hash (staffId -> timeline JSON)
    KEYS[2] offsets hash of the roster
    ARGV[1] offsets field, ARGV[2] first offset, ARGV[3] next offset
    ARGV[4..] triples: staffId, effective date ("" = base), profile JSON ("" = tombstone)
      a tombstone of the base entry removes the staff member (every entry); of a dated entry,
      that entry (and the staff member once no entry is left)

  Output: {CODE.STALE, storedOffset} when stale; {CODE.INVALID, i} when triple i (1-based) is
  malformed (nothing written); {CODE.APPLIED} when applied (CODE: APPLY_CODES in scripts.ts).
]]
--- @include "codes"
--- @include "checkOffset"

local DATE = "^%d%d%d%d%-%d%d%-%d%d$"

-- Validate everything before the first write: a profile must be a JSON object whose staffId and
-- effectiveFrom are the triple's.
local profiles = {}
for i = 4, #ARGV, 3 do
  local staffId, from, json = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local n = (i - 1) / 3
  if staffId == nil or from == nil or json == nil or staffId == "" then return {CODE.INVALID, n} end
  if from ~= "" and not string.match(from, DATE) then return {CODE.INVALID, n} end
  if json ~= "" then
    local ok, p = pcall(cjson.decode, json)
    if not ok or type(p) ~= "table" or p.staffId ~= staffId then return {CODE.INVALID, n} end
    local eff = p.effectiveFrom
    if eff == nil or eff == cjson.null then eff = "" end
    if eff ~= from then return {CODE.INVALID, n} end
    profiles[i] = p
  end
end

local stale = checkOffset(KEYS[2], ARGV[1], ARGV[2], true)
if stale then
  return {CODE.STALE, stale}
end

-- Timelines of the batch's staff, in first-seen order; false = removed.
local timelines, order = {}, {}
for i = 4, #ARGV, 3 do
  local staffId, from = ARGV[i], ARGV[i + 1]
  if timelines[staffId] == nil then
    order[#order + 1] = staffId
    local stored = redis.call("HGET", KEYS[1], staffId)
    local t = stored and cjson.decode(stored) or false
    -- A profile stored before effective dates (staffId -> profile): its base entry.
    if t and type(t.staffId) == "string" then t = {[""] = t} end
    timelines[staffId] = t
  end
  local t = timelines[staffId]
  if profiles[i] then
    if not t then t = {} end
    t[from] = profiles[i]
  elseif from == "" then
    t = false
  elseif t then
    t[from] = nil
    if next(t) == nil then t = false end
  end
  timelines[staffId] = t
end
for _, staffId in ipairs(order) do
  local t = timelines[staffId]
  if t then
    redis.call("HSET", KEYS[1], staffId, cjson.encode(t))
  else
    redis.call("HDEL", KEYS[1], staffId)
  end
end
redis.call("HSET", KEYS[2], ARGV[1], ARGV[3])
return {CODE.APPLIED}
