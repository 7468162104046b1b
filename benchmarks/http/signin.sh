#!/usr/bin/env bash
# Sign-in throughput against the hash-bound limit, in one invocation: for each store (H2 file,
# PostgreSQL) one HttpBenchApp server with SIGNIN_USERS users; for each client count (2, 8, 64)
# wrk POSTs /login as distinct users (signin.lua) — password check, session creation, login
# tracking and audit writes included — and, just before, the C reference (Debian's python3-argon2)
# times one argon2id hash at the same parameters on the idle machine: the limit is cores / that time.
# Writes a markdown table to REPORT; raw wrk output and server logs stay in OUT.
#
# Usage: benchmarks/http/signin.sh
#   STORES="h2 postgres" CLIENTS="2 8 64" DURATION=20s WARMUP=10s USERS=1000
#   PG_ADMIN_URL=postgresql://postgres@127.0.0.1:5432/postgres  (a database gh_bench_<random> is made and dropped)
#   SERVER_OPTS="-Dpassword-hash-concurrency=2 -Dpassword-hash-queue-timeout=500ms"  BUILD=1 (repackage the jar)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

STORES="${STORES:-h2 postgres}"
CLIENTS="${CLIENTS:-2 8 64}"
DURATION="${DURATION:-20s}"
WARMUP="${WARMUP:-10s}"
USERS="${USERS:-1000}"
PORT="${PORT:-7102}"
JAVA="${JAVA:-java}"
SERVER_OPTS="${SERVER_OPTS:-}"
PG_ADMIN_URL="${PG_ADMIN_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
OUT="${OUT:-benchmarks/target/signin-bench}"
REPORT="${REPORT:-$OUT/report.md}"
JAR=benchmarks/target/benchmarks.jar
PYTHON=/usr/bin/python3   # Debian's, which has python3-argon2 (a pyenv python3 may come first on PATH)
HERE=benchmarks/http

for tool in wrk curl; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install -y $tool" >&2; exit 1; }
done
"$PYTHON" -c 'import argon2' 2>/dev/null || { echo "python3-argon2 is missing: apt-get install -y python3-argon2" >&2; exit 1; }
if [ -n "${BUILD:-}" ] || [ ! -f "$JAR" ]; then
  mvn -B -q -pl benchmarks -am package -DskipTests
fi
mkdir -p "$OUT"
: >"$OUT/results.txt"

server=""
pg_database=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  if [ -n "$pg_database" ]; then psql -q "$PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS $pg_database" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

base="http://127.0.0.1:$PORT"

start_server() { # store
  local store=$1 url user
  case $store in
    h2)
      rm -rf "$OUT/h2"
      url="jdbc:h2:file:$(pwd)/$OUT/h2/gatehouse"; user=sa ;;
    postgres)
      command -v psql >/dev/null || { echo "psql is missing: apt-get install -y postgresql-client" >&2; exit 1; }
      pg_database="gh_bench_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
      psql -q "$PG_ADMIN_URL" -c "CREATE DATABASE $pg_database ENCODING 'UTF8'" >/dev/null
      local host_part=${PG_ADMIN_URL#postgresql://}
      user=${host_part%%@*}; host_part=${host_part#*@}
      url="jdbc:postgresql://${host_part%%/*}/$pg_database" ;;
    memory) url=""; user="" ;;
    *) echo "unknown store $store (h2, postgres, memory)" >&2; exit 1 ;;
  esac
  if curl -s -o /dev/null "$base/hello"; then echo "port $PORT is taken" >&2; exit 1; fi
  local creds="$OUT/credentials.$store.txt"
  rm -f "$creds"
  # shellcheck disable=SC2086
  "$JAVA" -Dport="$PORT" -Dcredentials="$creds" -Dsignin-users="$USERS" ${url:+-Ddb-url="$url" -Ddb-user="$user"} \
    $SERVER_OPTS -cp "$JAR" dev.gatehouse.bench.HttpBenchApp >"$OUT/server.$store.log" 2>&1 &
  server=$!
  for _ in $(seq 1 300); do
    [ -s "$creds" ] && curl -sf -o /dev/null "$base/hello" && return 0
    kill -0 "$server" 2>/dev/null || break
    sleep 0.2
  done
  echo "the $store server did not start; see $OUT/server.$store.log" >&2
  exit 1
}

stop_server() {
  sleep 2   # requests wrk left in flight finish first, instead of failing on a closing database
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  server=""
  if [ -n "$pg_database" ]; then
    psql -q "$PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS $pg_database" >/dev/null
    pg_database=""
  fi
}

# The anonymous CSRF token and the nonce cookie it is bound to, as a browser gets them from GET /login.
csrf_pair() {
  local jar="$OUT/cookies.txt"
  rm -f "$jar"
  SIGNIN_CSRF=$(curl -sf -c "$jar" -H 'Accept: application/json' "$base/login" \
    | "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["response"]["csrf_token"])')
  SIGNIN_COOKIE=$(awk -F'\t' 'NF >= 7 && ($1 !~ /^#/ || $1 ~ /^#HttpOnly_/) {printf "%s%s=%s", sep, $6, $7; sep="; "}' "$jar")
  export SIGNIN_CSRF SIGNIN_COOKIE SIGNIN_USERS="$USERS" SIGNIN_PASSWORD="benchmark password"
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -H 'Accept: application/json' \
    -H "X-CSRFToken: $SIGNIN_CSRF" -H "Cookie: $SIGNIN_COOKIE" \
    --data '{"email":"signin-0@example.com","password":"benchmark password"}' "$base/login")
  [ "$code" = 200 ] || { echo "smoke check failed: POST /login -> $code, expected 200" >&2; exit 1; }
}

run_wrk() { # clients duration output
  local clients=$1 threads=2
  [ "$clients" -lt 2 ] && threads=1
  WRK_THREADS=$threads wrk -t"$threads" -c"$clients" -d"$2" --timeout 10s -s "$HERE/signin.lua" "$base/login" >"$3"
}

value() { # key line
  sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"
}

for store in $STORES; do
  echo "store $store: starting with $USERS users" >&2
  start_server "$store"
  csrf_pair
  echo "store $store: warm-up $WARMUP (unreported)" >&2
  run_wrk 8 "$WARMUP" "$OUT/warmup.$store.txt"
  for clients in $CLIENTS; do
    sleep 1   # let the last run's stragglers finish before timing the reference hash
    reference=$("$PYTHON" "$HERE/argon2_reference.py" | grep '^RESULT')
    echo "store $store, $clients clients: $reference" >&2
    run_wrk "$clients" "$DURATION" "$OUT/wrk.$store.$clients.txt"
    result=$(grep '^RESULT' "$OUT/wrk.$store.$clients.txt")
    echo "$store $clients $reference $result" >>"$OUT/results.txt"
  done
  stop_server
done

{
  echo "Sign-in (JSON POST /login, distinct users, password check + session + login tracking + audit) against"
  echo "the hash-bound limit (usable cores / one argon2id m=19456,t=2,p=1 hash in the C reference, python3-argon2,"
  echo "timed on the idle machine just before each run)."
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -srm), $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)),"
  echo "$("$JAVA" -version 2>&1 | head -1); wrk -c<clients> -d$DURATION, $USERS users, warm-up $WARMUP per store."
  echo "Command: STORES=\"$STORES\" CLIENTS=\"$CLIENTS\" DURATION=$DURATION WARMUP=$WARMUP USERS=$USERS${SERVER_OPTS:+ SERVER_OPTS=\"$SERVER_OPTS\"} benchmarks/http/signin.sh"
  echo
  echo "| store | clients | sign-ins/s | 503/s | other | p50 ms | p99 ms | C hash ms | hash-bound limit/s | sign-ins / limit |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  while read -r line; do
    store=${line%% *}; rest=${line#* }; clients=${rest%% *}
    signins=$(value signins_per_s "$line"); limit=$(value limit_per_s "$line")
    ratio=$(awk -v s="$signins" -v l="$limit" 'BEGIN {printf "%.2f", s / l}')
    echo "| $store | $clients | $signins | $(value busy_per_s "$line") | $(value other "$line") | $(value p50_ms "$line")" \
      "| $(value p99_ms "$line") | $(value hash_ms "$line") | $limit | $ratio |"
  done <"$OUT/results.txt"
  echo
  echo "Latencies include the quick 503 refusals. 'other' counts answers that are neither 200 nor 503 (should be 0)."
} >"$REPORT"
cat "$REPORT"
