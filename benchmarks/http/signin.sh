#!/usr/bin/env bash
# Sign-in throughput against the hash-bound limit, in one invocation: for each store (H2 file,
# PostgreSQL) one HttpBenchApp server with SIGNIN_USERS users; for each client count (2, 8, 64)
# wrk POSTs /login as distinct users (signin.lua) — password check, session creation, login
# tracking and audit writes included — and, just before, the C reference (Debian's python3-argon2)
# times one argon2id hash at the same parameters on the idle machine: the limit is cores / that time.
# Beside it, what Gatehouse's own engine (libsodium where installed) hashes with every core busy and
# nothing else running (EngineHashRate): the ceiling sign-in can reach with that engine.
# Then the flood phase (issue 16: authenticated routes keep their p99 within 2 x idle while 64
# clients flood sign-in): after an unreported warm-up of the flood itself, paced wrk probes of
# /session/hello and /token/hello (-t1 -c$PROBE_CONNS each, each connection waiting PROBE_DELAY_MS
# between requests), both at once on the otherwise idle server and both at once while wrk -c64
# floods POST /login, in FLOOD_ROUNDS rounds (every other one flood first); the report gives the
# median of each round's ratio.
# Writes markdown tables to REPORT; raw wrk output and server logs stay in OUT.
#
# Usage: benchmarks/http/signin.sh
#   STORES="h2 postgres" CLIENTS="2 8 64" DURATION=20s WARMUP=30s USERS=1000
#   FLOOD=1 (0 skips the flood phase) FLOOD_ROUNDS=4 PROBE_CONNS=4 PROBE_DELAY_MS=2 PROBE_DURATION=10s (whole seconds)
#   FLOOD_LEAD=3 (whole seconds the flood runs before the probes start)
#   PROBES="session token" (add "bare" to probe /hello, the same handler with no Gatehouse in front)
#   FLOOD_PATH=/login (/hash floods the hashing alone: the stored password verified on the bounded
#   pool and nothing else of a sign-in, the floor any sign-in at that rate leaves the other routes)
#   PG_ADMIN_URL=postgresql://postgres@127.0.0.1:5432/postgres  (a database gh_bench_<random> is made and dropped)
#   SERVER_OPTS="-Dpassword-hash-concurrency=2 -Dpassword-hash-queue-timeout=500ms"  BUILD=1 (repackage the jar)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

STORES="${STORES:-h2 postgres}"
CLIENTS="${CLIENTS:-2 8 64}"
DURATION="${DURATION:-20s}"
WARMUP="${WARMUP:-30s}"
USERS="${USERS:-1000}"
FLOOD="${FLOOD:-1}"
PROBE_CONNS="${PROBE_CONNS:-4}"
PROBE_DELAY_MS="${PROBE_DELAY_MS:-2}"
PROBE_DURATION="${PROBE_DURATION:-10s}"
FLOOD_ROUNDS="${FLOOD_ROUNDS:-4}"
FLOOD_LEAD="${FLOOD_LEAD:-3}"
PROBES="${PROBES:-session token}"
FLOOD_PATH="${FLOOD_PATH:-/login}"
PORT="${PORT:-7102}"
JAVA="${JAVA:-java}"
SERVER_OPTS="${SERVER_OPTS:-}"
PG_ADMIN_URL="${PG_ADMIN_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
OUT="${OUT:-benchmarks/target/signin-bench}"
REPORT="${REPORT:-$OUT/report.md}"
HERE=benchmarks/http
# shellcheck source=benchmarks/http/lib.sh
. "$HERE/lib.sh"

require_packages 'command -v wrk' wrk
require_packages "$PYTHON -c 'import argon2'" python3-argon2
[[ " $STORES " != *" postgres "* ]] || require_packages 'command -v psql' postgresql-client
probe_seconds=${PROBE_DURATION%s}
case "$FLOOD_PATH" in /login|/hash) ;; *) echo "FLOOD_PATH=$FLOOD_PATH: give /login or /hash" >&2; exit 1 ;; esac
[[ "$probe_seconds" =~ ^[0-9]+$ ]] || { echo "PROBE_DURATION=$PROBE_DURATION: give whole seconds, like 20s" >&2; exit 1; }
ensure_bench_jar
mkdir -p "$OUT"
: >"$OUT/results.txt"
: >"$OUT/flood.txt"

pg_database=""
cleanup() {
  stop_started
  if [ -n "$pg_database" ]; then psql -q "$PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS $pg_database" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

base="http://127.0.0.1:$PORT"

start_store() { # store
  local store=$1 url user
  case $store in
    h2)
      rm -rf "$OUT/h2"
      url="jdbc:h2:file:$(pwd)/$OUT/h2/gatehouse"; user=sa ;;
    postgres)
      pg_database="gh_bench_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
      psql -q "$PG_ADMIN_URL" -c "CREATE DATABASE $pg_database ENCODING 'UTF8'" >/dev/null
      local host_part=${PG_ADMIN_URL#postgresql://}
      user=${host_part%%@*}; host_part=${host_part#*@}
      url="jdbc:postgresql://${host_part%%/*}/$pg_database" ;;
    memory) url=""; user="" ;;
    *) echo "unknown store $store (h2, postgres, memory)" >&2; exit 1 ;;
  esac
  # shellcheck disable=SC2086
  start_gatehouse "$PORT" "$OUT/credentials.$store.txt" "$OUT/server.$store.log" \
    -Dsignin-users="$USERS" ${url:+-Ddb-url="$url" -Ddb-user="$user"} $SERVER_OPTS
}

stop_server() {
  sleep 2   # requests wrk left in flight finish first, instead of failing on a closing database
  stop_started
  if [ -n "$pg_database" ]; then
    psql -q "$PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS $pg_database" >/dev/null
    pg_database=""
  fi
}

run_wrk() { # clients duration output [path]
  local clients=$1 threads=2
  [ "$clients" -lt 2 ] && threads=1
  WRK_THREADS=$threads wrk -t"$threads" -c"$clients" -d"$2" --timeout 10s -s "$HERE/signin.lua" "$base${4:-/login}" >"$3"
}

# The path of a probed route: "bare" is /hello, which no Gatehouse filter guards.
route_path() { # route
  if [ "$1" = bare ]; then echo /hello; else echo "/$1/hello"; fi
}

# Called from flood_phase, whose local map `header` holds each route's header.
probe() { # route duration output
  PROBE_DELAY_MS=$PROBE_DELAY_MS wrk -t1 -c"$PROBE_CONNS" -d"$2" --timeout 10s --latency -H "${header[$1]}" \
    -s "$HERE/probe.lua" "$base$(route_path "$1")" >"$3"
}

# Every route of PROBES probed at once for DURATION; the files are OUT/probe.<store>.<route>.<name>.txt.
probes() { # duration store name
  local route pids=()
  for route in $PROBES; do
    probe "$route" "$1" "$OUT/probe.$2.$route.$3.txt" &
    pids+=($!)
  done
  wait "${pids[@]}"
}

# The routes probed at once on the otherwise idle server, round ROUND.
idle_probes() { # store round
  echo "store $1, round $2: idle, probes $PROBES at once, $PROBE_DURATION" >&2
  probes "$PROBE_DURATION" "$1" "idle.$2"
}

# The routes probed at once while 64 clients flood FLOOD_PATH; the flood outlasts the probes by a few
# seconds on either side, so they see only the steady flood.
flood_probes() { # store round
  echo "store $1, round $2: 64 clients flood $FLOOD_PATH; probes $PROBES at once after ${FLOOD_LEAD} s, $PROBE_DURATION" >&2
  run_wrk 64 "$((probe_seconds + FLOOD_LEAD + 3))s" "$OUT/flood.$1.$2.txt" "$FLOOD_PATH" &
  local flood=$!
  sleep "$FLOOD_LEAD"
  probes "$PROBE_DURATION" "$1" "flood.$2"
  wait "$flood"
  sleep 2   # the refused sign-ins still queued drain before anything else is timed
}

# FLOOD_ROUNDS rounds of an idle and a flood measurement, every other round in reverse order, so
# that a drift of the machine hits both alike; each round gives its own ratio. Appends to flood.txt
# per round one line per route and state ("<store> <route> idle <round> RESULT...", "... flood ...")
# and one for the flood itself ("<store> signin flood <round> RESULT...").
flood_phase() { # store
  local store=$1 route round
  read_gatehouse_credentials "$OUT/credentials.$store.txt"
  # The bare route's header is one no route reads, so that every probe sends about as much.
  local -A header=([session]="Cookie: $GATEHOUSE_COOKIE" [token]="Authentication-Token: $GATEHOUSE_TOKEN"
    [bare]="X-Probe: bare")
  for route in $PROBES; do
    [ -n "${header[$route]:-}" ] || { echo "PROBES=$PROBES: the routes are session, token and bare" >&2; exit 1; }
    expect_status 200 "$base$(route_path "$route")" -H "${header[$route]}"
    echo "store $store: probe $(route_path "$route") warm-up $WARMUP (unreported)" >&2
    probe "$route" "$WARMUP" "$OUT/probe-warmup.$store.$route.txt"
  done
  expect_status 200 "$base$FLOOD_PATH" -X POST -H 'Content-Type: application/json' -H 'Accept: application/json' \
    -H "X-CSRFToken: $SIGNIN_CSRF" -H "Cookie: $SIGNIN_COOKIE" \
    --data '{"email":"signin-1@example.com","password":"benchmark password"}'
  # The flood's own paths (sign-in under contention, the 503 refusal) are compiled before anything is
  # timed, as in a server that has run for a while: an unreported flood with both probes first.
  echo "store $store: flood warm-up $WARMUP with the probes (unreported)" >&2
  run_wrk 64 "$WARMUP" "$OUT/flood-warmup.$store.txt" "$FLOOD_PATH" &
  local warmup=$!
  probes "$WARMUP" "$store" flood-warmup
  wait "$warmup"
  sleep 2
  for round in $(seq 1 "$FLOOD_ROUNDS"); do
    if (( round % 2 )); then
      idle_probes "$store" "$round"; sleep 1; flood_probes "$store" "$round"
    else
      flood_probes "$store" "$round"; idle_probes "$store" "$round"; sleep 1
    fi
    for route in $PROBES; do
      echo "$store $route idle $round $(grep '^RESULT' "$OUT/probe.$store.$route.idle.$round.txt")" >>"$OUT/flood.txt"
      echo "$store $route flood $round $(grep '^RESULT' "$OUT/probe.$store.$route.flood.$round.txt")" >>"$OUT/flood.txt"
    done
    echo "$store signin flood $round $(grep '^RESULT' "$OUT/flood.$store.$round.txt")" >>"$OUT/flood.txt"
  done
}

for store in $STORES; do
  echo "store $store: starting with $USERS users" >&2
  start_store "$store"
  signin_csrf "$base"
  echo "store $store: warm-up $WARMUP (unreported)" >&2
  run_wrk 8 "$WARMUP" "$OUT/warmup.$store.txt"
  for clients in $CLIENTS; do
    sleep 1   # let the last run's stragglers finish before timing the reference hash
    reference=$("$PYTHON" "$HERE/argon2_reference.py" | grep '^RESULT')
    engine=$("$JAVA" -cp "$HTTP_BENCH_JAR" dev.gatehouse.password.EngineHashRate | grep '^RESULT')
    engine=${engine#RESULT }
    echo "store $store, $clients clients: $reference" >&2
    run_wrk "$clients" "$DURATION" "$OUT/wrk.$store.$clients.txt"
    result=$(grep '^RESULT' "$OUT/wrk.$store.$clients.txt")
    echo "$store $clients $reference ${engine%% engine=*} $result" >>"$OUT/results.txt"
    engine_name=${engine#*engine=}
  done
  [ "$FLOOD" = 0 ] || flood_phase "$store"
  stop_server
done

{
  echo "Sign-in (JSON POST /login, distinct users, password check + session + login tracking + audit) against"
  echo "the hash-bound limit (usable cores / one argon2id m=19456,t=2,p=1 hash in the C reference, python3-argon2,"
  echo "timed on the idle machine just before each run), and against what the C reference itself hashes per second"
  echo "with one process per core (memory-hard hashes running at once share caches and memory bandwidth), and"
  echo "against what Gatehouse's own engine ($engine_name) hashes with one thread per core and nothing"
  echo "else running (EngineHashRate, timed just before each run): the ceiling of sign-in with that engine."
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(machine),"
  echo "$("$JAVA" -version 2>&1 | head -1); wrk -c<clients> -d$DURATION, $USERS users, warm-up $WARMUP per store."
  echo "Command: STORES=\"$STORES\" CLIENTS=\"$CLIENTS\" DURATION=$DURATION WARMUP=$WARMUP USERS=$USERS${SERVER_OPTS:+ SERVER_OPTS=\"$SERVER_OPTS\"} benchmarks/http/signin.sh"
  echo
  echo "| store | clients | sign-ins/s | 503/s | other | p50 ms | p99 ms | C hash ms | hash-bound limit/s | sign-ins / limit | C, all cores hashing/s | sign-ins / that | engine hash ms | engine, all cores/s | sign-ins / that |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  while read -r line; do
    store=${line%% *}; rest=${line#* }; clients=${rest%% *}
    signins=$(value signins_per_s "$line"); limit=$(value limit_per_s "$line"); parallel=$(value parallel_per_s "$line")
    ratio=$(awk -v s="$signins" -v l="$limit" 'BEGIN {printf "%.2f", s / l}')
    parallel_ratio=$(awk -v s="$signins" -v l="$parallel" 'BEGIN {printf "%.2f", s / l}')
    engine_parallel=$(value engine_parallel_per_s "$line")
    engine_ratio=$(awk -v s="$signins" -v l="$engine_parallel" 'BEGIN {printf "%.2f", s / l}')
    echo "| $store | $clients | $signins | $(value busy_per_s "$line") | $(value other "$line") | $(value p50_ms "$line")" \
      "| $(value p99_ms "$line") | $(value hash_ms "$line") | $limit | $ratio | $parallel | $parallel_ratio" \
      "| $(value engine_hash_ms "$line") | $engine_parallel | $engine_ratio |"
  done <"$OUT/results.txt"
  echo
  echo "Latencies include the quick 503 refusals. 'other' counts answers that are neither 200 nor 503 (should be 0)."
  if [ -s "$OUT/flood.txt" ]; then
    echo
    echo "Routes while 64 clients flood $FLOOD_PATH (issue 16: p99 under a sign-in flood ≤ 2 × idle p99). Probes:"
    echo "wrk -t1 -c$PROBE_CONNS -d$PROBE_DURATION, each connection pausing ${PROBE_DELAY_MS} ms between requests, on GET"
    echo "$(for r in $PROBES; do route_path "$r"; done | paste -sd ' ') (/session/hello with the session cookie,"
    echo "/token/hello with the Authentication-Token, /hello bare), all at once on the otherwise idle server ('idle'),"
    echo "and all at once while wrk -t2 -c64 POSTs $FLOOD_PATH with signin.lua, from $FLOOD_LEAD s before the probes to"
    echo "3 s after ('flood'); $FLOOD_ROUNDS rounds of both, every other round flood first, so that the machine's drift hits"
    echo "both alike. Before them, an unreported flood with the probes for $WARMUP (the flood's code paths compiled, as"
    echo "in a server that has run a while). Command as above with FLOOD=1 FLOOD_ROUNDS=$FLOOD_ROUNDS PROBE_CONNS=$PROBE_CONNS"
    echo "PROBE_DELAY_MS=$PROBE_DELAY_MS PROBE_DURATION=$PROBE_DURATION PROBES=\"$PROBES\" FLOOD_PATH=$FLOOD_PATH."
    echo
    echo "| store | route | idle p99 ms per round | p99 under flood ms per round | median idle p99 | median p99 under flood | median of per-round ratios | idle req/s | req/s under flood | probe other | flood sign-ins/s | flood 503/s |"
    echo "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    for store in $STORES; do
      grep -q "^$store signin flood " "$OUT/flood.txt" || continue
      for route in $PROBES; do
        # per_round STATE KEY: the KEY values of this route's STATE lines, in round order, one a line.
        per_round() { grep "^$store $route $1 " "$OUT/flood.txt" | while read -r line; do value "$2" "$line"; done; }
        idle_p99=$(per_round idle p99_ms); flood_p99=$(per_round flood p99_ms)
        ratios=$(paste <(echo "$idle_p99") <(echo "$flood_p99") | awk '{printf "%.3f\n", $2 / $1}')
        others=$( (per_round idle other; per_round flood other) | awk '{s += $1} END {print s + 0}')
        signins=$(grep "^$store signin flood " "$OUT/flood.txt" | while read -r line; do value signins_per_s "$line"; done | median)
        refused=$(grep "^$store signin flood " "$OUT/flood.txt" | while read -r line; do value busy_per_s "$line"; done | median)
        echo "| $store | $(route_path "$route") | $(echo $idle_p99) | $(echo $flood_p99) | $(echo "$idle_p99" | median)" \
          "| $(echo "$flood_p99" | median) | $(echo "$ratios" | median) | $(per_round idle req_per_s | median)" \
          "| $(per_round flood req_per_s | median) | $others | $signins | $refused |"
      done
    done
    echo
    echo "ratio = p99 under flood / idle p99 of the same round (the bar is ≤ 2); the medians are over rounds. req/s counts"
    echo "200s; 'probe other' counts the probes' other answers, idle and under flood (should be 0). The flood's sign-ins/s"
    echo "and 503/s cover each flood's whole run (median over rounds)."
  fi
} >"$REPORT"
cat "$REPORT"
