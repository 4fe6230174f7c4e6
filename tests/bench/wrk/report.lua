-- wrk's figures as one JSON line for tests/bench/wrk.py (latencies in microseconds). Run wrk from this
-- directory: post.lua loads this file by its relative name.
threads = {}

function setup(thread)
  thread:set("index", #threads)  -- post.lua splits the request bodies between threads by it
  table.insert(threads, thread)
end

local function created_by(all)
  local created = 0
  for _, thread in ipairs(all) do
    created = created + (thread:get("created") or 0)
  end
  return created
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "non_2xx_3xx": %d, "socket_errors": %d, ' ..
    '"timeouts": %d, "created": %d, "p50_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, errors.status, errors.connect + errors.read + errors.write + errors.timeout,
    errors.timeout,
    created_by(threads), latency:percentile(50), latency:percentile(99)))
end
