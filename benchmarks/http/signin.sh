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
HERE=benchmarks/http
# shellcheck source=benchmarks/http/lib.sh
. "$HERE/lib.sh"

require_packages 'command -v wrk' wrk
require_packages "$PYTHON -c 'import argon2'" python3-argon2
ensure_bench_jar
mkdir -p "$OUT"
: >"$OUT/results.txt"

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
      command -v psql >/dev/null || { echo "psql is missing: apt-get install -y postgresql-client" >&2; exit 1; }
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

run_wrk() { # clients duration output
  local clients=$1 threads=2
  [ "$clients" -lt 2 ] && threads=1
  WRK_THREADS=$threads wrk -t"$threads" -c"$clients" -d"$2" --timeout 10s -s "$HERE/signin.lua" "$base/login" >"$3"
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
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(machine),"
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
