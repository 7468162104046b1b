#!/usr/bin/env bash
# HTTP load benchmark: a bare Javalin route against the same route behind Gatehouse's session,
# token and role checks, all in one JVM (dev.gatehouse.bench.HttpBenchApp), driven by wrk on
# 127.0.0.1. Scenarios are interleaved over several rounds because wrk and the server share the
# machine's cores; the report gives each scenario's median req/s and its ratio to the bare route,
# and the median of each round's ratio to the bare route with the same header. That route is the
# guarded route's bare twin (/session/bare, /token/bare), added to Javalin just before it: Javalin
# tries routes in order, so the twin's lookup costs what the guarded route's does, less one pattern.
#
# Usage: benchmarks/http/run.sh            (ROUNDS=5 DURATION=10s PRIME=20s CONNS=32 THREADS=2
#                                           SCENARIOS="bare bare_cookie bare_token session token session_role")
# e.g. SCENARIOS="bare_token token" ROUNDS=20 DURATION=5s: the token check against the bare route with
# the same header, measured back to back.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

ROUNDS="${ROUNDS:-5}"
DURATION="${DURATION:-10s}"
PRIME="${PRIME:-20s}"
CONNS="${CONNS:-32}"
THREADS="${THREADS:-2}"
SCENARIOS="${SCENARIOS:-bare bare_cookie bare_token session token session_role}"
PORT="${PORT:-7101}"
JAVA="${JAVA:-java}"
OUT="${OUT:-benchmarks/target/http-bench}"
# shellcheck source=benchmarks/http/lib.sh
. benchmarks/http/lib.sh

require_packages 'command -v wrk' wrk
ensure_bench_jar
mkdir -p "$OUT"
creds="$OUT/credentials.txt"
trap stop_started EXIT
start_gatehouse "$PORT" "$creds" "$OUT/server.log"
read_gatehouse_credentials "$creds"
cookie=$GATEHOUSE_COOKIE
token=$GATEHOUSE_TOKEN

base="http://127.0.0.1:$PORT"
# Check every scenario answers as expected before measuring anything.
gatehouse_smoke "$base"

echo "JIT prime: $PRIME per route (unreported)" >&2
for path in /hello /session/bare /session/hello /token/bare /token/hello /admin/hello; do
  wrk -t"$THREADS" -c"$CONNS" -d"$PRIME" -H "Cookie: $cookie" -H "Authentication-Token: $token" "$base$path" >/dev/null
done

measure() { # name path [header]
  local name=$1 path=$2 header=${3:-}
  local args=()
  [ -n "$header" ] && args=(-H "$header")
  local line
  line=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "${args[@]}" "$base$path" | tee "$OUT/$name.$round.txt" | grep 'Requests/sec' | awk '{print $2}')
  grep -q 'Non-2xx' "$OUT/$name.$round.txt" && { echo "$name: non-2xx responses" >&2; exit 1; }
  echo "$name $line $round" >>"$OUT/results.txt"
}

: >"$OUT/results.txt"
scenario() { # name: measures one scenario
  case $1 in
    bare) measure bare /hello ;;
    bare_cookie) measure bare_cookie /session/bare "Cookie: $cookie" ;;
    bare_token) measure bare_token /token/bare "Authentication-Token: $token" ;;
    session) measure session /session/hello "Cookie: $cookie" ;;
    token) measure token /token/hello "Authentication-Token: $token" ;;
    session_role) measure session_role /admin/hello "Cookie: $cookie" ;;
    *) echo "unknown scenario $1 (bare bare_cookie bare_token session token session_role)" >&2; exit 1 ;;
  esac
}
read -r -a scenarios <<<"$SCENARIOS"
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round/$ROUNDS" >&2
  # Every other round runs the scenarios in reverse, so that a drift of the machine's speed within
  # a round favours no scenario (ABBA).
  if [ $((round % 2)) = 1 ]; then order=("${scenarios[@]}"); else order=(); for ((i = ${#scenarios[@]} - 1; i >= 0; i--)); do order+=("${scenarios[$i]}"); done; fi
  for name in "${order[@]}"; do scenario "$name"; done
done

echo
echo "wrk -t$THREADS -c$CONNS -d$DURATION, $ROUNDS interleaved rounds (every other one in reverse order), $("$JAVA" -version 2>&1 | head -1)"
echo "Command: SCENARIOS=\"$SCENARIOS\" ROUNDS=$ROUNDS DURATION=$DURATION PRIME=$PRIME CONNS=$CONNS THREADS=$THREADS benchmarks/http/run.sh"
echo
echo "| scenario | req/s per round | median req/s | ratio to bare | ratio to bare with the same header | median of per-round ratios to it |"
echo "|---|---|---:|---:|---:|---:|"
median_of() { awk -v n="$1" '$1==n{print $2}' "$OUT/results.txt" | median; }
bare_median=$(median_of bare)
for name in "${scenarios[@]}"; do
  values=$(awk -v n="$name" '$1==n{printf "%s ", $2}' "$OUT/results.txt")
  median=$(median_of "$name")
  ratio=""
  [ -n "$bare_median" ] && ratio=$(awk -v m="$median" -v b="$bare_median" 'BEGIN {printf "%.3f", m/b}')
  # The credential header alone costs wrk and Jetty something; this column is Gatehouse's own share.
  case $name in
    session|session_role) against=bare_cookie ;;
    token) against=bare_token ;;
    *) against="" ;;
  esac
  same="" paired=""
  if [ -n "$against" ] && [ -n "$(median_of "$against")" ]; then
    same=$(awk -v m="$median" -v b="$(median_of "$against")" 'BEGIN {printf "%.3f", m/b}')
    # Each round's ratio to the same round's bare route (measured seconds apart), then their median:
    # drift of the machine's speed between rounds cancels out.
    paired=$(awk -v n="$name" -v a="$against" '$1==n{m[$3]=$2} $1==a{b[$3]=$2} END {for (r in m) if (b[r]) printf "%.4f\n", m[r]/b[r]}' \
      "$OUT/results.txt" | median)
  fi
  echo "| $name | $values| $median | $ratio | $same | $paired |"
done
