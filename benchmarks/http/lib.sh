# Shell functions shared by the HTTP benchmark scripts (run.sh, signin.sh, compare.sh). Source it
# after changing to the repository root; on its own it does nothing.
# shellcheck shell=bash

HTTP_BENCH_JAR=benchmarks/target/benchmarks.jar
PYTHON=/usr/bin/python3   # Debian's, which has python3-argon2 and Flask-Security (a pyenv python3 may come first on PATH)

# Processes this script started, stopped by stop_started (and by nothing else).
STARTED_PIDS=()

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }

# require_packages CHECK PACKAGE...: when the shell command CHECK fails, installs Debian's packages
# (updating the package lists once if the first attempt fails) and fails the run if CHECK still fails.
require_packages() {
  local check=$1; shift
  eval "$check" >/dev/null 2>&1 && return 0
  echo "installing $*" >&2
  local install=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@")
  as_root "${install[@]}" >/dev/null 2>&1 \
    || { as_root apt-get update -q >/dev/null 2>&1 && as_root "${install[@]}" >/dev/null 2>&1; } || true
  eval "$check" >/dev/null 2>&1 || { echo "missing and could not be installed: apt-get install -y $*" >&2; exit 1; }
}

# ensure_bench_jar: packages benchmarks.jar when it is missing, or when BUILD is set (not 0).
ensure_bench_jar() {
  if [ "${BUILD:-0}" != 0 ] || [ ! -f "$HTTP_BENCH_JAR" ]; then
    mvn -B -q -pl benchmarks -am package -DskipTests
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# start_server NAME PORT LOG READY_FILE COMMAND...: runs COMMAND in the background (its pid in
# SERVER_PID and STARTED_PIDS) and waits, 90 s at most, until http://127.0.0.1:PORT/hello answers
# 200 and READY_FILE, unless "", is not empty. Refuses a port that is already taken.
start_server() {
  local name=$1 port=$2 log=$3 ready=$4; shift 4
  if port_in_use "$port"; then echo "port $port is taken: $name not started" >&2; exit 1; fi
  "$@" >"$log" 2>&1 &
  SERVER_PID=$!
  STARTED_PIDS+=("$SERVER_PID")
  for _ in $(seq 1 450); do
    if { [ -z "$ready" ] || [ -s "$ready" ]; } && curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$port/hello"; then
      return 0
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.2
  done
  echo "$name did not start on port $port; see $log" >&2
  exit 1
}

# start_gatehouse PORT CREDENTIALS LOG [JVM option...]: starts HttpBenchApp (in-memory stores unless
# the options say otherwise) and waits until it has written its credentials file and answers.
start_gatehouse() {
  local port=$1 creds=$2 log=$3; shift 3
  rm -f "$creds"
  start_server Gatehouse "$port" "$log" "$creds" \
    "${JAVA:-java}" -Dport="$port" -Dcredentials="$creds" "$@" -cp "$HTTP_BENCH_JAR" dev.gatehouse.bench.HttpBenchApp
}

# read_gatehouse_credentials FILE: sets GATEHOUSE_COOKIE and GATEHOUSE_TOKEN, the values of the Cookie
# and Authentication-Token headers HttpBenchApp wrote.
read_gatehouse_credentials() {
  GATEHOUSE_COOKIE="$(sed -n 's/^Cookie: //p' "$1")"
  GATEHOUSE_TOKEN="$(sed -n 's/^Authentication-Token: //p' "$1")"
}

# stop_pid PID: SIGTERM, SIGKILL after 15 s.
stop_pid() {
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# stop_started: stops every process in STARTED_PIDS and forgets them.
stop_started() {
  local pid
  for pid in "${STARTED_PIDS[@]}"; do stop_pid "$pid"; done
  STARTED_PIDS=()
}

# expect_status CODE URL [curl option...]: fails the run unless URL answers CODE. The message names
# the headers sent, not their values (they are credentials).
expect_status() {
  local want=$1 url=$2; shift 2
  local code names
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 "$@" "$url")
  [ "$code" = "$want" ] && return 0
  names=$(printf '%s\n' "$@" | sed -n 's/^\([A-Za-z-]*\): .*/\1/p' | paste -sd, -)
  echo "smoke check failed: $url${names:+ (with $names)} -> $code, expected $want" >&2
  exit 1
}

# gatehouse_smoke BASE: checks that HttpBenchApp's routes admit the credentials read by
# read_gatehouse_credentials and turn away requests without them.
gatehouse_smoke() {
  local base=$1
  expect_status 200 "$base/hello"
  expect_status 200 "$base/session/bare"
  expect_status 200 "$base/token/bare"
  expect_status 200 "$base/session/hello" -H "Cookie: $GATEHOUSE_COOKIE"
  expect_status 200 "$base/token/hello" -H "Authentication-Token: $GATEHOUSE_TOKEN"
  expect_status 200 "$base/admin/hello" -H "Cookie: $GATEHOUSE_COOKIE"
  expect_status 302 "$base/session/hello"
  expect_status 302 "$base/token/hello" -H "Authentication-Token: x$GATEHOUSE_TOKEN"
}

# signin_csrf BASE: the anonymous CSRF token and the nonce cookie it is bound to, as a browser gets
# them from GET /login, exported for signin.lua with SIGNIN_USERS=$USERS; then checks that one
# JSON sign-in answers 200.
signin_csrf() {
  local base=$1 jar="$OUT/cookies.txt"
  rm -f "$jar"
  SIGNIN_CSRF=$(curl -sf -c "$jar" -H 'Accept: application/json' "$base/login" \
    | "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["response"]["csrf_token"])')
  SIGNIN_COOKIE=$(awk -F'\t' 'NF >= 7 && ($1 !~ /^#/ || $1 ~ /^#HttpOnly_/) {printf "%s%s=%s", sep, $6, $7; sep="; "}' "$jar")
  export SIGNIN_CSRF SIGNIN_COOKIE SIGNIN_USERS="$USERS" SIGNIN_PASSWORD="benchmark password"
  expect_status 200 "$base/login" -X POST -H 'Content-Type: application/json' -H 'Accept: application/json' \
    -H "X-CSRFToken: $SIGNIN_CSRF" -H "Cookie: $SIGNIN_COOKIE" \
    --data '{"email":"signin-0@example.com","password":"benchmark password"}'
}

# value KEY LINE: the value of KEY=... in a wrk script's RESULT line.
value() {
  sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"
}

# median: the median of the numbers on standard input, one a line (the lower one of an even count).
median() {
  sort -g | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]}'
}

# machine: one line naming the kernel, cores, CPU and memory.
machine() {
  echo "$(uname -srm), $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1))," \
    "$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
}
