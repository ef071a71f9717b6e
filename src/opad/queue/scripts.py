"""Lua scripts: each queue transition runs atomically inside Redis.

Fencing: every run of a job gets a token from the database (`jobs.fence`, incremented at
each start). `opad:job:{id}:fence` holds the newest token; a status write carrying an older
token is refused, and so is any write after a terminal status. That is what keeps a
stale worker (paused past its lease, then resumed) from overwriting a newer attempt.

Fences only grow, so a fence that is missing or lower than a run's token means Redis lost
data (restarted without its append-only file, flushed, failed over to a stale replica, or
the key evicted), never a newer run: FENCED_WRITE answers -1 for that, and the run asks
the database (the record) whether it still owns the job before it writes again.
"""

from __future__ import annotations

from opad.states import TERMINAL

# Shared prologue: is the status JSON in KEYS[1] terminal? (The set comes from opad/states.py.)
_TERMINAL = (
    """
local function is_terminal(raw)
  if not raw then return false end
  local ok, doc = pcall(cjson.decode, raw)
  if not ok then return false end
  local s = doc['status']
  return """
    + " or ".join(f"s == '{status.value}'" for status in sorted(TERMINAL))
    + """
end
"""
)

# KEYS: status, fence, channel · ARGV: token, json, ttl → 1 started, 0 refused
START = (
    _TERMINAL
    + """
if is_terminal(redis.call('GET', KEYS[1])) then return 0 end
local current = tonumber(redis.call('GET', KEYS[2]) or '0')
if tonumber(ARGV[1]) <= current then return 0 end
redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[3])
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
redis.call('PUBLISH', KEYS[3], ARGV[2])
return 1
"""
)

# KEYS: status, fence, channel · ARGV: token, json, ttl
# → 1 written, 0 a newer run holds the job or it ended, -1 Redis lost this run's fence
FENCED_WRITE = (
    _TERMINAL
    + """
local fence = tonumber(redis.call('GET', KEYS[2]) or '0')
local token = tonumber(ARGV[1])
if fence > token then return 0 end
if is_terminal(redis.call('GET', KEYS[1])) then return 0 end
if fence < token then return -1 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[3])
redis.call('PUBLISH', KEYS[3], ARGV[2])
return 1
"""
)

# A write the record already made true (the database committed this run's end under its
# token): applied unless a newer run holds the job or the status is terminal; a fence that
# Redis lost is put back. KEYS: status, fence, channel · ARGV: token, json, ttl → 1 / 0
_RECORDED = """
local function recorded_write()
  local fence = tonumber(redis.call('GET', KEYS[2]) or '0')
  if fence > tonumber(ARGV[1]) or is_terminal(redis.call('GET', KEYS[1])) then return 0 end
  redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[3])
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
  redis.call('PUBLISH', KEYS[3], ARGV[2])
  return 1
end
"""

RECORDED_WRITE = _TERMINAL + _RECORDED + "\nreturn recorded_write()\n"

# A run's last word, in one round trip: RECORDED_WRITE's write (same checks), then the
# message leaves the worker's processing list whether or not the write applied (the ack
# that followed it before). KEYS: status, fence, channel, processing ·
# ARGV: token, json, ttl, raw message → 1 written, 0 stale or ended (acked either way)
FINISH = (
    _TERMINAL
    + _RECORDED
    + """
local written = recorded_write()
redis.call('LREM', KEYS[4], 1, ARGV[4])
return written
"""
)

# Put back the messages a live worker holds that Redis lost (a restart without its
# append-only file, a FLUSHDB, an eviction), unless their run ended meanwhile (a terminal
# status), was taken over (a higher fence) or its message moved on (the delayed set).
# KEYS: processing, delayed · ARGV: raw, status key, fence key, token (× n) → restored
RESTORE_HELD = (
    _TERMINAL
    + """
local restored = 0
for i = 1, #ARGV, 4 do
  local raw = ARGV[i]
  if not redis.call('LPOS', KEYS[1], raw)
     and not redis.call('ZSCORE', KEYS[2], raw)
     and not is_terminal(redis.call('GET', ARGV[i + 1]))
     and tonumber(redis.call('GET', ARGV[i + 2]) or '0') <= tonumber(ARGV[i + 3]) then
    redis.call('LPUSH', KEYS[1], raw)
    restored = restored + 1
  end
end
return restored
"""
)

# How many messages of a job the processing lists of live workers (a lease key that
# exists) hold — the claimer's own copy included. KEYS: workers set, processing lists
# found by SCAN… · ARGV: job id → count
HELD_BY_LIVE = """
local lists = {}
for i = 2, #KEYS do lists[KEYS[i]] = true end
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do lists['opad:processing:' .. id] = true end
local count = 0
for key, _ in pairs(lists) do
  local worker = string.sub(key, string.len('opad:processing:') + 1)
  if redis.call('EXISTS', 'opad:worker:' .. worker .. ':lease') == 1 then
    for _, raw in ipairs(redis.call('LRANGE', key, 0, -1)) do
      local ok, doc = pcall(cjson.decode, raw)
      if ok and type(doc) == 'table' and doc['job_id'] == ARGV[1] then count = count + 1 end
    end
  end
end
return count
"""

# Unfenced, for the record's owner (API cancel, delete): only over a live status.
# KEYS: status, channel · ARGV: json, ttl → 1 written, 0 already ended
WRITE_IF_LIVE = (
    _TERMINAL
    + """
if is_terminal(redis.call('GET', KEYS[1])) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
redis.call('PUBLISH', KEYS[2], ARGV[1])
return 1
"""
)

# Move every message of a dead worker's processing list back to the head of the queue,
# and forget the worker. KEYS: processing, queue, workers set, worker info · ARGV: worker id
REAP = """
local moved = 0
while redis.call('LMOVE', KEYS[1], KEYS[2], 'RIGHT', 'RIGHT') do moved = moved + 1 end
redis.call('SREM', KEYS[3], ARGV[1])
redis.call('DEL', KEYS[4])
return moved
"""

# Due retries back onto the queue. KEYS: delayed zset, queue · ARGV: now, limit
# "Now" is Redis's own clock (TIME), never the calling host's: one clock for every
# worker, however far theirs drift (issue 30). ARGV[1] is unused (kept for callers).
MOVE_DUE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, ARGV[2])
for _, raw in ipairs(due) do
  redis.call('ZREM', KEYS[1], raw)
  redis.call('LPUSH', KEYS[2], raw)
end
return #due
"""

# Leave the processing list for the delayed set, due `delay` seconds from Redis's TIME.
# KEYS: processing, delayed · ARGV: raw, delay in seconds
SCHEDULE = """
local t = redis.call('TIME')
local due = tonumber(t[1]) + tonumber(t[2]) / 1000000 + tonumber(ARGV[2])
redis.call('LREM', KEYS[1], 1, ARGV[1])
redis.call('ZADD', KEYS[2], string.format('%.6f', due), ARGV[1])
return 1
"""

# The outbox (services/outbox.py): which recorded jobs have no message anywhere in Redis.
# A message is "somewhere" on the queue, in the delayed set, or in any processing list —
# of a registered worker, or one found by SCAN (passed in KEYS). One script, so no
# message can move between two lists while we look.
# KEYS: queue, delayed, workers set, processing lists… · ARGV: job ids
_PRESENT = """
local function present()
  local seen = {}
  local function note(raw)
    local ok, doc = pcall(cjson.decode, raw)
    if ok and type(doc) == 'table' and type(doc['job_id']) == 'string' then
      seen[doc['job_id']] = true
    end
  end
  for _, raw in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do note(raw) end
  for _, raw in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do note(raw) end
  local lists = {}
  for i = 4, #KEYS do lists[KEYS[i]] = true end
  for _, id in ipairs(redis.call('SMEMBERS', KEYS[3])) do lists['opad:processing:' .. id] = true end
  for key, _ in pairs(lists) do
    for _, raw in ipairs(redis.call('LRANGE', key, 0, -1)) do note(raw) end
  end
  return seen
end
"""

# → the ids (of ARGV) that no message carries
MISSING = (
    _PRESENT
    + """
local seen = present()
local out = {}
for _, id in ipairs(ARGV) do if not seen[id] then table.insert(out, id) end end
return out
"""
)

# Push each job whose message is still missing (at the queue's head: it is older than
# everything queued since), writing its queued status unless one is live.
# KEYS: as MISSING · ARGV: ttl, then job id, payload, status JSON per job → ids pushed
PUSH_MISSING = (
    _PRESENT
    + """
local seen = present()
local out = {}
for i = 2, #ARGV, 3 do
  local id = ARGV[i]
  if not seen[id] then
    redis.call('RPUSH', KEYS[1], ARGV[i + 1])
    local key = 'opad:job:' .. id
    if redis.call('EXISTS', key) == 0 then
      redis.call('SET', key, ARGV[i + 2], 'EX', ARGV[1])
      redis.call('PUBLISH', key .. ':events', ARGV[i + 2])
    end
    seen[id] = true
    table.insert(out, id)
  end
end
return out
"""
)
