--[[
  SADD of ARGV[from..to] to key, in slices: Lua's unpack() is limited by the C stack (~8000).
]]
local function saddAll(key, argv, from, to)
  local i = from
  while i <= to do
    local j = math.min(i + 4999, to)
    redis.call("SADD", key, unpack(argv, i, j))
    i = j + 1
  end
end
