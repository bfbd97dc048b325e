--[[
  Reads many hashes of one shard in one call, each staff member's as one string, so the reader
  splits or parses one string per member instead of many bulk replies (the scorer reads 100,000
  counter hashes per tick). ARGV[1] says which hashes and how:
    "pairs"   counter hashes (CounterStore.periodCounters): HGETALL flattened to
              "field,value,field,value,…"; counter names are identifiers and values numbers, so
              neither holds a comma ("" when the member has no counters)
    "values"  static-record hashes (CounterStore.staticState, docs/static-appraisal.md): HVALS as
              one JSON array text "[record,record,…]"; every value is a JSON array itself
              (static-record.ts), so the reader parses a whole chunk at once ("[]" when none)

  Input:
    KEYS[1] the shard's index of the staff read (routes the call: every hash read shares its
            slot): the staff index of the period, "<prefix>:{s<n>}:i:<period>" ("pairs"),
            or the index of staff with static records, "<prefix>:{s<n>}:sts" ("values")
    ARGV[1] "pairs" or "values"
    ARGV[2] key prefix of the hashes, "<prefix>:{s<n>}:c:<period>:" ("pairs") or
            "<prefix>:{s<n>}:st:" ("values")
    ARGV[3..] staff ids

  Output: one string per staff id, in order
]]
local command, wrap
if ARGV[1] == "pairs" then
  command, wrap = "HGETALL", false
elseif ARGV[1] == "values" then
  command, wrap = "HVALS", true
else
  return redis.error_reply("readHashes: ARGV[1] must be \"pairs\" or \"values\", not " .. tostring(ARGV[1]))
end
local out = {}
local prefix = ARGV[2]
for i = 3, #ARGV do
  local joined = table.concat(redis.call(command, prefix .. ARGV[i]), ",")
  if wrap then joined = "[" .. joined .. "]" end
  out[i - 2] = joined
end
return out
