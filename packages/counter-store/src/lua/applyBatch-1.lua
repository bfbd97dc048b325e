--[[
  Applies one batch of one topic-partition atomically: dedupe, counter increments, set adds
  and the partition's next offset, all or nothing, so Redis and the resume point always agree.
  Every key lives in the shard's hash slot: KEYS[1] = "<prefix>:{s<shard>}:offsets" and
  the other keys are built from ARGV[1], which carries the same hash tag (BullMQ style).

  Input:
    KEYS[1] offsets hash (field "<topic>:<partition>" -> next offset to apply)
    ARGV[1] key prefix of the shard, e.g. "cs:{s3}:"
    ARGV[2] offsets field
    ARGV[3] first offset of the batch
    ARGV[4] next offset after the batch
    ARGV[5] dedupe horizon in ms (TTL of the seen-sets)
    ARGV[6] G = number of seen-sets, then per set: suffix, N, then N event ids
            (events are numbered 1.. in this order across the sets)
    then H = number of hashes, then per hash: suffix, ttl seconds (0 = none), F, then F pairs: field, increment
      (the counter hashes "c:", the SLA hashes "q:" and the calls answered per queue and staff "qs:<MONTH>")
    then S = number of sets, then per set: suffix, ttl seconds (0 = none), M, then M members
    then R = number of record hashes, then per hash: suffix, ttl seconds (0 = none), F, then F pairs:
      field, value (HSET: each event's recorded effect "fx:<MONTH>", a correction's notes and marker)
    then K = number of guards, then per guard: event number, hash suffix, field: the event is
      done once only, refused when the field exists or an earlier event of the batch has it
    then the quarantine of staff ids the roster does not name (all optional, 0 = none):
      CAP = most unknown staff ids one quarantine set may hold,
      U = number of quarantine sets, then per set: suffix ("u:<period>"), ttl seconds,
      W = number of groups, then per group: P, then P pairs: quarantine set (1..U), staff id.
          A group is the (period, unknown staff id) pairs of events (each pair once), groups in
          the order of their first event in the batch (event numbering above).
    Groups are decided in order, as their first events would be: a group fits when each of its
    ids is in its period's set already (or was admitted by an earlier group of this batch), or the
    set has room for it (SCARD + new <= CAP). A group's later events share its decision: within a
    batch the sets only fill up, so a group that did not fit never would.

  Output (CODE: APPLY_CODES in scripts.ts):
    {CODE.STALE, storedOffset}     part of the batch is applied already; nothing changed
    {CODE.DUPLICATES, i1, i2, ...} numbers of the events already seen; nothing changed (re-send without them)
    {CODE.APPLIED, admitted}       admitted = (set, unknown staff id) pairs newly put in quarantine
    {CODE.GUARDED, i1, i2, ...}    numbers of the events whose guard is taken; nothing changed
                                   (dead-letter them, then re-send without them; not marked seen)
    {CODE.OVER_CAP, g1, g2, ...}   numbers of the groups whose unknown staff ids do not fit; nothing
                                   changed (dead-letter their events, then re-send without them; they
                                   are not marked seen)
    error "CS_BAD_INCREMENT ..."  an increment is not a finite number; nothing changed
    error "CS_APPLY_FAILED ..."   a write failed (a key or field of the wrong type); nothing changed

  Redis does not roll a script back, so nothing may fail once the first write is made, or the
  batch would be half-applied (and its event ids, once in a seen-set, would make the retry drop
  every event of the batch as a duplicate). Hence the order:
    1. reads and checks, no writes: offset, every increment a finite number, the sets' and
       record hashes' types, dedupe (SMISMEMBER also proves each seen-set is a set), the guards,
       the quarantine;
    2. the counters, through pcall: the one write that can still fail (a field that is not a
       number, or a sum that would overflow) undoes the increments made before it;
    3. the staff index, quarantine and changed sets, the seen-sets, the TTLs and last the offset: their
       key types are checked in 1, and Redis refuses a script for memory (OOM) only at its
       first write, so none of them can fail.
]]
--- @include "codes"
--- @include "checkOffset"
--- @include "callSliced"
--- @include "keyHolds"

local prefix = ARGV[1]
local stale = checkOffset(KEYS[1], ARGV[2], ARGV[3])
if stale then
  return {CODE.STALE, stale}
end

-- 1. Layout and increments, before anything is written.
local nGroups = tonumber(ARGV[6])
local pos = 7
for _ = 1, nGroups do
  pos = pos + 2 + tonumber(ARGV[pos + 1])
end
local hashesAt = pos
local nHashes = tonumber(ARGV[pos]); pos = pos + 1
for _ = 1, nHashes do
  local nFields = tonumber(ARGV[pos + 2])
  pos = pos + 3
  for _ = 1, nFields do
    local by = tonumber(ARGV[pos + 1])
    -- nil: not a number; by ~= by: NaN; +-math.huge: Infinity (tonumber("inf") and "1e400" give it).
    if by == nil or by ~= by or by == math.huge or by == -math.huge then
      return redis.error_reply("CS_BAD_INCREMENT increment '" .. ARGV[pos + 1] .. "' of field " .. ARGV[pos] .. " is not a finite number; nothing applied")
    end
    pos = pos + 2
  end
end
-- A key the script will SADD to must hold a set or nothing, one it HSETs a hash or nothing:
-- checked before the first write. A section is: count, then per key its suffix, ttl, N and N
-- entries of `width` values; returns where the next section starts, or nil and the error reply.
local function checkKeys(at, want, width)
  local p = at + 1
  for _ = 1, tonumber(ARGV[at]) do
    local bad = keyHolds(prefix .. ARGV[p], want)
    if bad then return nil, bad end
    p = p + 3 + width * tonumber(ARGV[p + 2])
  end
  return p
end
local setsAt = pos
local recordsAt, badSet = checkKeys(setsAt, "set", 1)
if badSet then return badSet end
local afterRecords, badRecord = checkKeys(recordsAt, "hash", 2)
if badRecord then return badRecord end
pos = afterRecords
local guardsAt = pos
local nGuards = tonumber(ARGV[pos]); pos = pos + 1 + 3 * nGuards
local quarantineAt = pos

-- Dedupe: one SMISMEMBER per seen-set for the whole batch.
local dups = {}
local number = 0
pos = 7
for _ = 1, nGroups do
  local n = tonumber(ARGV[pos + 1])
  -- In slices, like callSliced: unpack() of more than ~8000 values fails (a 2 MB fetch holds ~20k).
  for from = 1, n, 5000 do
    local to = math.min(from + 4999, n)
    local seen = redis.call("SMISMEMBER", prefix .. ARGV[pos], unpack(ARGV, pos + 1 + from, pos + 1 + to))
    for j = 1, to - from + 1 do
      if seen[j] == 1 then dups[#dups + 1] = number + from - 1 + j end
    end
  end
  number = number + n
  pos = pos + 2 + n
end
if #dups > 0 then
  table.insert(dups, 1, CODE.DUPLICATES)
  return dups
end

-- Guards: once-only events whose field is taken (in Redis, or by an earlier event of the batch).
if nGuards > 0 then
  local refused, taken = {}, {}
  pos = guardsAt + 1
  for _ = 1, nGuards do
    local key = prefix .. ARGV[pos + 1]
    local bad = keyHolds(key, "hash")
    if bad then return bad end
    local id = key .. "\n" .. ARGV[pos + 2]
    if taken[id] or redis.call("HEXISTS", key, ARGV[pos + 2]) == 1 then
      refused[#refused + 1] = tonumber(ARGV[pos])
    end
    taken[id] = true
    pos = pos + 3
  end
  if #refused > 0 then
    table.insert(refused, 1, CODE.GUARDED)
    return refused
  end
end

-- Quarantine of unknown staff ids: which groups (events) fit under the cap, in event order.
local cap = tonumber(ARGV[quarantineAt] or "0")
local nQuarantine = tonumber(ARGV[quarantineAt + 1] or "0")
local qKeys, qTtls, qCounts, qMembers = {}, {}, {}, {}
local admitted = {} -- flat: set index, staff id, ...
pos = quarantineAt + 2
for k = 1, nQuarantine do
  local key = prefix .. ARGV[pos]
  local bad = keyHolds(key, "set")
  if bad then return bad end
  qKeys[k] = key
  qTtls[k] = tonumber(ARGV[pos + 1])
  qCounts[k] = redis.call("SCARD", key)
  qMembers[k] = {} -- staff id -> true (in the set) / false (not in it)
  pos = pos + 2
end
if nQuarantine > 0 then
  local refused = {}
  local nGroupsQ = tonumber(ARGV[pos]); pos = pos + 1
  for group = 1, nGroupsQ do
    local nPairs = tonumber(ARGV[pos])
    pos = pos + 1
    local new = {}      -- set index -> ids new to it
    local newPairs = {} -- flat: set index, staff id
    for j = 0, nPairs - 1 do
      local k = tonumber(ARGV[pos + 2 * j])
      local id = ARGV[pos + 2 * j + 1]
      local known = qMembers[k][id]
      if known == nil then
        known = redis.call("SISMEMBER", qKeys[k], id) == 1
        qMembers[k][id] = known
      end
      if not known then
        new[k] = (new[k] or 0) + 1
        newPairs[#newPairs + 1] = k
        newPairs[#newPairs + 1] = id
      end
    end
    local fits = true
    for k, n in pairs(new) do
      if qCounts[k] + n > cap then fits = false end
    end
    if fits then
      for k, n in pairs(new) do qCounts[k] = qCounts[k] + n end
      for x = 1, #newPairs, 2 do
        qMembers[newPairs[x]][newPairs[x + 1]] = true
        admitted[#admitted + 1] = newPairs[x]
        admitted[#admitted + 1] = newPairs[x + 1]
      end
    else
      refused[#refused + 1] = group
    end
    pos = pos + 2 * nPairs
  end
  if #refused > 0 then
    table.insert(refused, 1, CODE.OVER_CAP)
    return refused
  end
end

-- 2. Counters. Always the float command: scores may be fractional (87.5), and HINCRBY on a field
-- that once took a fraction would fail. Integral sums stay exact (long double) and print without
-- a decimal point.
-- The increment's exact opposite, as text: the same digits parse to the same long double.
local function negated(by)
  local sign = string.sub(by, 1, 1)
  if sign == "-" then return string.sub(by, 2) end
  if sign == "+" then return "-" .. string.sub(by, 2) end
  return "-" .. by
end
local function undoCounters(upTo)
  local p = hashesAt + 1
  for _ = 1, nHashes do
    local key = prefix .. ARGV[p]
    local nFields = tonumber(ARGV[p + 2])
    p = p + 3
    for _ = 1, nFields do
      if p >= upTo then return end
      -- Back to what it was; a field the batch created goes away again (absent reads as 0).
      if tonumber(redis.call("HINCRBYFLOAT", key, ARGV[p], negated(ARGV[p + 1]))) == 0 then
        redis.call("HDEL", key, ARGV[p])
      end
      p = p + 2
    end
  end
end
pos = hashesAt + 1
for _ = 1, nHashes do
  local key = prefix .. ARGV[pos]
  local nFields = tonumber(ARGV[pos + 2])
  pos = pos + 3
  for _ = 1, nFields do
    local r = redis.pcall("HINCRBYFLOAT", key, ARGV[pos], ARGV[pos + 1])
    if type(r) == "table" and r.err then
      undoCounters(pos)
      return redis.error_reply("CS_APPLY_FAILED HINCRBYFLOAT " .. key .. " " .. ARGV[pos] .. " " .. ARGV[pos + 1] .. ": " .. r.err .. "; nothing applied")
    end
    pos = pos + 2
  end
end

-- 3. Writes that cannot fail (see above).
pos = hashesAt + 1
for _ = 1, nHashes do
  local ttl = tonumber(ARGV[pos + 1])
  if ttl > 0 then redis.call("EXPIRE", prefix .. ARGV[pos], ttl) end
  pos = pos + 3 + 2 * tonumber(ARGV[pos + 2])
end
-- The sections checkKeys checked: SADD members (width 1), HSET field/value pairs (width 2).
local function writeKeys(at, command, width)
  local p = at + 1
  for _ = 1, tonumber(ARGV[at]) do
    local key = prefix .. ARGV[p]
    local ttl = tonumber(ARGV[p + 1])
    local n = width * tonumber(ARGV[p + 2])
    callSliced(command, key, ARGV, p + 3, p + 2 + n)
    if ttl > 0 then redis.call("EXPIRE", key, ttl) end
    p = p + 3 + n
  end
end
writeKeys(setsAt, "SADD", 1)
writeKeys(recordsAt, "HSET", 2)
pos = 7
for _ = 1, nGroups do
  local key = prefix .. ARGV[pos]
  local n = tonumber(ARGV[pos + 1])
  if n > 0 then
    callSliced("SADD", key, ARGV, pos + 2, pos + 1 + n)
    redis.call("PEXPIRE", key, ARGV[5])
  end
  pos = pos + 2 + n
end

for x = 1, #admitted, 2 do
  redis.call("SADD", qKeys[admitted[x]], admitted[x + 1])
end
for k = 1, nQuarantine do
  if qCounts[k] > 0 and qTtls[k] > 0 then redis.call("EXPIRE", qKeys[k], qTtls[k]) end
end

redis.call("HSET", KEYS[1], ARGV[2], ARGV[4])
return {CODE.APPLIED, #admitted / 2}
