--[[
  redis.call(command, key, ARGV[from..to]) in slices (SADD members, HSET field/value pairs — a
  slice is an even count): Lua's unpack() is limited by the C stack (~8000 values).
]]
local function callSliced(command, key, argv, from, to)
  local i = from
  while i <= to do
    local j = math.min(i + 4999, to)
    redis.call(command, key, unpack(argv, i, j))
    i = j + 1
  end
end
