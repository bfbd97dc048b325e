--[[
  HSET of the field/value pairs ARGV[from..to] to key, in slices: Lua's unpack() is limited by the C stack (~8000).
]]
local function hsetAll(key, argv, from, to)
  local i = from
  while i <= to do
    local j = math.min(i + 4999, to)
    redis.call("HSET", key, unpack(argv, i, j))
    i = j + 1
  end
end
