--[[
  Reads the counter hashes of many staff members of one shard and period in one call, each
  flattened into one string "field,value,field,value,…": the reader splits one string per staff
  member instead of parsing ~80 bulk replies (the scorer reads 100,000 of them per tick). Counter
  names are identifiers and values numbers, so neither holds a comma.

  Input:
    KEYS[1] the staff index of the shard and period (routes the call: every hash read shares its slot)
    ARGV[1] key prefix of the counter hashes, "<prefix>:{s<n>}:c:<period>:"
    ARGV[2..] staff ids

  Output: one string per staff id, in order ("" when it has no counters)
]]
local out = {}
local prefix = ARGV[1]
for i = 2, #ARGV do
  out[i - 1] = table.concat(redis.call("HGETALL", prefix .. ARGV[i]), ",")
end
return out
