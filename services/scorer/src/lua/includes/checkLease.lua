--[[
  Fencing shared by every write of the scorer: only the holder of the lease (KEYS[1] holds its
  owner id) may write. Returns true when `owner` holds it.
]]
local function holdsLease(leaseKey, owner)
  return redis.call("GET", leaseKey) == owner
end
