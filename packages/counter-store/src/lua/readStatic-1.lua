--[[
  Reads the static records (docs/static-appraisal.md) of many staff members of one shard in one
  call, each member's as one JSON array text "[record,record,…]" of its hash's values: every
  value is a JSON array itself (static-record.ts), so the reader parses a whole chunk at once.

  Input:
    KEYS[1] the shard's index of staff with static records, "<prefix>:{s<n>}:sts" (routes the
            call: every hash read shares its slot)
    ARGV[1] key prefix of the record hashes, "<prefix>:{s<n>}:st:"
    ARGV[2..] staff ids

  Output: one string per staff id, in order ("[]" when it has no records)
]]
local out = {}
local prefix = ARGV[1]
for i = 2, #ARGV do
  out[i - 1] = "[" .. table.concat(redis.call("HVALS", prefix .. ARGV[i]), ",") .. "]"
end
return out
