--[[
  Reads many hashes of one shard in one call, each staff member's as one string, so the reader
  splits or parses one string per member instead of many bulk replies (the scorer reads 100,000
  counter hashes per tick). ARGV[1] says which hashes and how:
    "object"  counter hashes (CounterStore.periodCounters): HGETALL as one JSON object text
              {"field":value,…}, so the reader parses a whole chunk with one JSON.parse; counter
              names are identifiers and values numbers as HINCRBY/HINCRBYFLOAT write them ("{}"
              when the member has no counters). A hand-written name or value can make it not
              JSON, or not numbers: the reader then reads the chunk again as "pairs"
    "pairs"   the same hashes flattened to "field,value,field,value,…"
    "values"  static-record hashes (CounterStore.staticState, docs/static-appraisal.md): HVALS as
              one JSON array text "[record,record,…]"; every value is a JSON array itself
              (static-record.ts), so the reader parses a whole chunk at once ("[]" when none)

  Input:
    KEYS[1] the shard's index of the staff read (routes the call: every hash read shares its
            slot): the staff index of the period, "<prefix>:{s<n>}:i:<period>" ("object", "pairs"),
            or the index of staff with static records, "<prefix>:{s<n>}:sts" ("values")
    ARGV[1] "object", "pairs" or "values"
    ARGV[2] key prefix of the hashes, "<prefix>:{s<n>}:c:<period>:" ("object", "pairs") or
            "<prefix>:{s<n>}:st:" ("values")
    ARGV[3..] staff ids

  Output: one string per staff id, in order
]]
local mode = ARGV[1]
if mode ~= "object" and mode ~= "pairs" and mode ~= "values" then
  return redis.error_reply("readHashes: ARGV[1] must be \"object\", \"pairs\" or \"values\", not " .. tostring(mode))
end
local out = {}
local prefix = ARGV[2]
for i = 3, #ARGV do
  local key = prefix .. ARGV[i]
  if mode == "object" then
    local h = redis.call("HGETALL", key)
    local members = {}
    for k = 1, #h, 2 do
      members[#members + 1] = '"' .. h[k] .. '":' .. h[k + 1]
    end
    out[i - 2] = "{" .. table.concat(members, ",") .. "}"
  elseif mode == "pairs" then
    out[i - 2] = table.concat(redis.call("HGETALL", key), ",")
  else
    out[i - 2] = "[" .. table.concat(redis.call("HVALS", key), ",") .. "]"
  end
end
return out
