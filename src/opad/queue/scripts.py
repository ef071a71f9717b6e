"""Lua scripts: each queue transition runs atomically inside Redis.

Fencing: every run of a job gets a token from the database (`jobs.fence`, incremented at
each start). `opad:job:{id}:fence` holds the newest token; a status write carrying an older
token is refused, and so is any write after a terminal status. That is what keeps a
stale worker (paused past its lease, then resumed) from overwriting a newer attempt.
"""

from __future__ import annotations

from opad.jobs.states import TERMINAL

# Shared prologue: is the status JSON in KEYS[1] terminal? (The set comes from jobs/states.)
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

# KEYS: status, fence, channel · ARGV: token, json, ttl → 1 written, 0 stale or ended
FENCED_WRITE = (
    _TERMINAL
    + """
if tonumber(redis.call('GET', KEYS[2]) or '0') ~= tonumber(ARGV[1]) then return 0 end
if is_terminal(redis.call('GET', KEYS[1])) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[3])
redis.call('PUBLISH', KEYS[3], ARGV[2])
return 1
"""
)

# A run's last word, in one round trip: FENCED_WRITE's write (same checks), then the
# message leaves the worker's processing list whether or not the write applied (the ack
# that followed it before). KEYS: status, fence, channel, processing ·
# ARGV: token, json, ttl, raw message → 1 written, 0 stale or ended (acked either way)
FINISH = (
    _TERMINAL
    + """
local written = 0
if tonumber(redis.call('GET', KEYS[2]) or '0') == tonumber(ARGV[1])
   and not is_terminal(redis.call('GET', KEYS[1])) then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
  redis.call('EXPIRE', KEYS[2], ARGV[3])
  redis.call('PUBLISH', KEYS[3], ARGV[2])
  written = 1
end
redis.call('LREM', KEYS[4], 1, ARGV[4])
return written
"""
)

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
