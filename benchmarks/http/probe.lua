-- wrk script of the latency probes of the flood phase (benchmarks/http/signin.sh): wrk sends the
-- plain GET with the credential header given by -H; this script only counts the answers.
-- done() prints one line starting with RESULT, the keys as in signin.lua: 200s, other answers
-- (a lost session would be timed as a fast redirect, so they must stay 0), latency percentiles.
-- PROBE_DELAY_MS > 0 paces each connection: it waits that long between requests, so the probe
-- measures the latency of a steady trickle instead of competing for the cores at full speed.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  ok, other = 0, 0
end

function response(status, headers, body)
  if status == 200 then ok = ok + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local o, x = 0, 0
  for _, t in ipairs(threads) do
    o = o + (t:get("ok") or 0)
    x = x + (t:get("other") or 0)
  end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f req_per_s=%.1f other=%d p50_ms=%.2f p99_ms=%.2f socket_errors=%d\n",
    summary.requests, seconds, o / seconds, x,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout))
end

local pause = tonumber(os.getenv("PROBE_DELAY_MS") or "0")
if pause > 0 then
  function delay()
    return pause
  end
end
