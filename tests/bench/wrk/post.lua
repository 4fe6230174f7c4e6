-- POST one distinct body per request (the same NIR twice is a 409), and for each 201 write the created id
-- and the wall-clock time it was received, so that tests/bench can time its event on Kafka.
-- Arguments after `--`: the bodies file (one JSON document a line), the output prefix, the thread count.
dofile("report.lua")

local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock, bench_timespec *now);
]]
local CLOCK_REALTIME = 0  -- the clock of the broker's timestamps
local now = ffi.new("bench_timespec")
local bodies, last, out = {}, 0, nil
created = 0

local function epoch_ms()
  ffi.C.clock_gettime(CLOCK_REALTIME, now)
  return tonumber(now.tv_sec) * 1000 + tonumber(now.tv_nsec) / 1e6
end

function init(args)
  local threads, line_number = tonumber(args[3]), 0
  for line in io.lines(args[1]) do
    if line_number % threads == index then
      table.insert(bodies, line)
    end
    line_number = line_number + 1
  end
  out = io.open(args[2] .. "." .. index, "w")
end

function request()
  last = last % #bodies + 1
  return wrk.format("POST", nil, nil, bodies[last])
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
    out:write(body:match('"id"%s*:%s*"([^"]+)"'), " ", string.format("%.3f", epoch_ms()), "\n")
    out:flush()
  end
end
