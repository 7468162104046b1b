-- wrk script of the sign-in scenario (benchmarks/http/signin.sh): every request is a JSON POST
-- /login as the next of SIGNIN_USERS users (signin-<n>@example.com), each thread starting at its
-- own share of them, with the anonymous CSRF token and the nonce cookie it is bound to.
-- Environment: SIGNIN_USERS, SIGNIN_PASSWORD, SIGNIN_CSRF, SIGNIN_COOKIE, WRK_THREADS.
-- done() prints one line starting with RESULT: 200s (sign-ins), 503s (no hashing slot), others.

local users = tonumber(os.getenv("SIGNIN_USERS") or "1000")
local password = os.getenv("SIGNIN_PASSWORD") or "benchmark password"
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  ok, busy, other, firstbad = 0, 0, 0, ""
  local share = math.floor(users / tonumber(os.getenv("WRK_THREADS") or "1"))
  n = id * share
  headers = {
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/json",
    ["X-CSRFToken"] = os.getenv("SIGNIN_CSRF") or "",
    ["Cookie"] = os.getenv("SIGNIN_COOKIE") or "",
  }
end

function request()
  local body = string.format('{"email":"signin-%d@example.com","password":"%s"}', n % users, password)
  n = n + 1
  return wrk.format("POST", "/login", headers, body)
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
  elseif status == 503 then
    busy = busy + 1
  else
    other = other + 1
    if firstbad == "" then firstbad = tostring(status) .. " " .. string.sub(body or "", 1, 120) end
  end
end

function done(summary, latency, requests)
  local o, b, x, fb = 0, 0, 0, ""
  for _, t in ipairs(threads) do
    o = o + (t:get("ok") or 0)
    b = b + (t:get("busy") or 0)
    x = x + (t:get("other") or 0)
    local f = t:get("firstbad")
    if fb == "" and f and f ~= "" then fb = f end
  end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f signins_per_s=%.1f busy_per_s=%.1f other=%d p50_ms=%.2f p99_ms=%.2f " ..
    "socket_errors=%d first_bad=%q\n",
    summary.requests, seconds, o / seconds, b / seconds, x,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout, fb))
end
