--[[
  An error reply when key holds something other than nothing or `want` ("set", "hash"), else nil:
  the type check of a key the script will write, made before its first write.
]]
local function keyHolds(key, want)
  local t = redis.call("TYPE", key)["ok"]
  if t ~= "none" and t ~= want then
    return redis.error_reply("CS_APPLY_FAILED " .. key .. " holds a " .. t .. ", not a " .. want .. "; nothing applied")
  end
end
