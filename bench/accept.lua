-- wrk script for bench/accept.py: POST /generate, POST /enqueue (the bare app) or
-- GET /jobs/{id}; paced (a fixed schedule) or saturated (every connection back to back).
--
--   wrk -t1 -cC -dDs --timeout 10s -s bench/accept.lua URL -- ENDPOINT RATE [JOB_ID ...]
--
-- ENDPOINT: generate | bare | job. RATE: requests/s for the whole run, 0 = saturate.
-- Pacing: each thread keeps one schedule (slot n at start + n × threads/RATE); a free
-- connection takes the next slot and waits for it (wrk's delay() hook). Latency is wrk's,
-- from the write to the response; it is the open-loop latency as long as every request
-- left on its slot, so the script counts requests that left more than 2 ms after their
-- slot (`late`, worst `late_max_ms`): with late = 0 no queueing delay was hidden.
-- done() prints one line `ACCEPT {json}`.

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } opad_timespec;
int clock_gettime(int clk_id, opad_timespec *tp);
]])
local ts = ffi.new("opad_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local BODY = '{"language": "English", "level": "B1", "length": 200, "topic": "city parks"}'
local threads = {}
local thread_count = 0

function setup(thread)
  table.insert(threads, thread)
  thread_count = thread_count + 1
  thread:set("thread_index", thread_count)
end

local endpoint, interval, ids, n_ids
-- Globals, so that done() can read them from each thread (thread:get).
next_slot, sent, late, late_max = nil, 0, 0, 0

function init(args)
  endpoint = args[1] or "generate"
  local rate = tonumber(args[2] or "0")
  ids = {}
  for i = 3, #args do
    ids[#ids + 1] = args[i]
  end
  n_ids = #ids
  -- wrk starts its threads together; the schedule of each is interleaved with the others'.
  local count = tonumber(os.getenv("ACCEPT_THREADS") or "1")
  if rate > 0 then
    interval = 1000 * count / rate
  end
  if endpoint ~= "job" then
    wrk.method = "POST"
    wrk.path = endpoint == "bare" and "/enqueue" or "/generate"
    wrk.body = BODY
    wrk.headers["Content-Type"] = "application/json"
  end
end

if os.getenv("ACCEPT_PACED") == "1" then
  function delay()
    local now = now_ms()
    if next_slot == nil then
      next_slot = now + interval * ((thread_index or 1) - 1) / (tonumber(os.getenv("ACCEPT_THREADS") or "1"))
    end
    local slot = next_slot
    next_slot = next_slot + interval
    local wait = slot - now
    if wait < -2 then
      late = late + 1
      if -wait > late_max then
        late_max = -wait
      end
    end
    return wait > 0 and math.floor(wait) or 0
  end
end

local counter = 0
function request()
  sent = sent + 1
  if endpoint == "job" then
    counter = counter + 1
    return wrk.format("GET", "/jobs/" .. ids[(counter % n_ids) + 1])
  end
  return wrk.format()
end

function done(summary, latency, requests)
  local late_all, late_worst, sent_all = 0, 0, 0
  for _, thread in ipairs(threads) do
    late_all = late_all + (thread:get("late") or 0)
    sent_all = sent_all + (thread:get("sent") or 0)
    local worst = thread:get("late_max") or 0
    if worst > late_worst then
      late_worst = worst
    end
  end
  local errors = summary.errors
  local failed = errors.connect + errors.read + errors.write + errors.status + errors.timeout
  io.write(string.format(
    'ACCEPT {"requests": %d, "sent": %d, "errors": %d, "status_errors": %d, '
      .. '"timeouts": %d, "seconds": %.3f, "p50_ms": %.3f, "p90_ms": %.3f, '
      .. '"p99_ms": %.3f, "max_ms": %.3f, "late": %d, "late_max_ms": %.1f}\n',
    summary.requests, sent_all, failed, errors.status, errors.timeout,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, late_all, late_worst
  ))
end
