#!/usr/bin/env bash
# Gatehouse beside its peers over HTTP, in one invocation. Starts Gatehouse (HttpBenchApp, in-memory
# stores) and the peer apps of PEERS_DIR (bare Javalin, Spring Security, Flask-Security under
# gunicorn's sync and gthread workers), all at once, each on its own port; smoke-checks each,
# JIT-primes the JVM ones and warms every scenario up; then runs wrk with the same parameters on
# every (system, scenario), interleaved over ROUNDS rounds so that the drift of a shared machine hits
# all systems alike. Writes a markdown report (machine, date, versions, command, medians of req/s
# and p99) and a gnuplot chart to OUT, and, unless UPDATE_DOCS=0, the report into
# docs/benchmarks.md between its http-comparison markers and the chart to docs/img/http-comparison.png.
# Raw wrk output, server logs and results.tsv stay in OUT. Nothing is written into PEERS_DIR: the
# JVM peers are built from a copy under benchmarks/target/peers/.
#
# Usage: benchmarks/http/compare.sh
#   PEERS="gatehouse javalin spring flask_sync flask_gthread"  ROUNDS=5 DURATION=10s WARMUP=10s JVM_PRIME=20s
#   THREADS=2 CONNS=32 LOGIN_CONNS=8 WRK_TIMEOUT=10s USERS=1000 (Gatehouse's sign-in users) PORT_BASE=7200
#   PEERS_DIR=../shared/bench/peers  JAVA=java JAVA_OPTS=  SPRING_USER_STORE=memory  BUILD=1 (rebuild the jars)
#   OUT=benchmarks/target/compare  UPDATE_DOCS=1
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

PEERS="${PEERS:-gatehouse javalin spring flask_sync flask_gthread}"
ROUNDS="${ROUNDS:-5}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-10s}"
JVM_PRIME="${JVM_PRIME:-20s}"
THREADS="${THREADS:-2}"
CONNS="${CONNS:-32}"
LOGIN_CONNS="${LOGIN_CONNS:-8}"
WRK_TIMEOUT="${WRK_TIMEOUT:-10s}"
USERS="${USERS:-1000}"
PORT_BASE="${PORT_BASE:-7200}"
PEERS_DIR="${PEERS_DIR:-../shared/bench/peers}"
JAVA="${JAVA:-java}"
JAVA_OPTS="${JAVA_OPTS:-}"
SPRING_USER_STORE="${SPRING_USER_STORE:-memory}"
OUT="${OUT:-benchmarks/target/compare}"
UPDATE_DOCS="${UPDATE_DOCS:-1}"
HERE=benchmarks/http
DOC=docs/benchmarks.md
CHART_NAME=http-comparison.png
BEGIN_MARKER='<!-- http-comparison:begin -->'
END_MARKER='<!-- http-comparison:end -->'
# shellcheck source=benchmarks/http/lib.sh
. "$HERE/lib.sh"

# The exact command, for the report: every setting that changes what is measured.
COMMAND="PEERS=\"$PEERS\" ROUNDS=$ROUNDS DURATION=$DURATION WARMUP=$WARMUP JVM_PRIME=$JVM_PRIME THREADS=$THREADS"
COMMAND+=" CONNS=$CONNS LOGIN_CONNS=$LOGIN_CONNS WRK_TIMEOUT=$WRK_TIMEOUT USERS=$USERS"
[ "$JAVA" = java ] || COMMAND+=" JAVA=$JAVA"
[ -z "$JAVA_OPTS" ] || COMMAND+=" JAVA_OPTS=\"$JAVA_OPTS\""
[ "$SPRING_USER_STORE" = memory ] || COMMAND+=" SPRING_USER_STORE=$SPRING_USER_STORE"
COMMAND+=" $HERE/compare.sh"

log() { echo "[compare $(date -u +%H:%M:%S)] $*" >&2; }

for system in $PEERS; do
  case $system in
    gatehouse | javalin | spring | flask_sync | flask_gthread) ;;
    *) echo "unknown system $system (gatehouse javalin spring flask_sync flask_gthread)" >&2; exit 1 ;;
  esac
done
[ -f "$PEERS_DIR/lua/report.lua" ] || { echo "no peers in PEERS_DIR=$PEERS_DIR (set it to shared/bench/peers)" >&2; exit 1; }
PEERS_DIR="$(cd "$PEERS_DIR" && pwd)"
REPORT_LUA="$PEERS_DIR/lua/report.lua"
if [ "$UPDATE_DOCS" != 0 ]; then
  [ "$(grep -cxF -e "$BEGIN_MARKER" -e "$END_MARKER" "$DOC")" = 2 ] \
    || { echo "$DOC needs the lines $BEGIN_MARKER and $END_MARKER once each" >&2; exit 1; }
fi

require_packages 'command -v wrk' wrk
require_packages 'command -v gnuplot' gnuplot-nox
if [[ " $PEERS " == *" flask_"* ]]; then
  require_packages "$PYTHON -c 'import flask_security, flask_sqlalchemy, argon2, bcrypt' && $PYTHON -m gunicorn --version" \
    python3-flask-security python3-flask-sqlalchemy python3-argon2 python3-bcrypt gunicorn
fi
[[ " $PEERS " != *" gatehouse "* ]] || ensure_bench_jar
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
rm -f "$OUT"/prime.*.txt "$OUT"/warmup.*.txt "$OUT"/wrk.*.txt "$OUT"/*.sqlite

# build_peer NAME JAR: the jar of the JVM peer NAME, built from a copy of its sources under
# benchmarks/target/peers/ (rebuilt when the copy no longer matches PEERS_DIR, or with BUILD).
build_peer() {
  local name=$1 copy="benchmarks/target/peers/$1"
  if [ "${BUILD:-0}" != 0 ] || [ ! -f "$copy/target/$2" ] || ! diff -rq -x target "$PEERS_DIR/$name" "$copy" >/dev/null 2>&1; then
    log "building $name from a copy in $copy"
    rm -rf "$copy"
    mkdir -p "$copy"
    cp -r "$PEERS_DIR/$name/." "$copy/"
    chmod -R u+w "$copy"
    (cd "$copy" && mvn -B -q -DskipTests package) >"$OUT/build.$name.log" 2>&1 \
      || { tail -30 "$OUT/build.$name.log" >&2; echo "building $name failed" >&2; exit 1; }
  fi
  PEER_JAR="$copy/target/$2"
}

# The measured cells, in the order every round runs them. add_cell SYSTEM SCENARIO DESCRIPTION URL
# [ARG...]: each ARG is a header ("Name: value"), or NAME=value for wrk's environment (read by its Lua
# script), or SCRIPT=file for another Lua script than the peers' report.lua.
CELL_SYSTEM=() CELL_SCENARIO=() CELL_DESCRIPTION=() CELL_URL=() CELL_ARGS=() CELL_HELLO=()
add_cell() {
  CELL_SYSTEM+=("$1") CELL_SCENARIO+=("$2") CELL_DESCRIPTION+=("$3") CELL_URL+=("$4")
  CELL_HELLO+=("$(sed -E 's#^(https?://[^/]+).*#\1#' <<<"$4")/hello")
  shift 4
  CELL_ARGS+=("$(printf '%s\n' "$@")")
}

is_jvm() { [[ $1 == gatehouse || $1 == javalin || $1 == spring ]]; }

# run_cell INDEX DURATION OUTPUT: one wrk run of a cell, then waits until its server is idle again
# (a wrk run can leave queued requests behind, sign-ins above all), so the next cell starts clean.
run_cell() {
  local i=$1 script=$REPORT_LUA conns=$CONNS arg args=() env=(WRK_THREADS="$THREADS") extra
  [ "${CELL_SCENARIO[i]}" != login ] || conns=$LOGIN_CONNS
  mapfile -t extra <<<"${CELL_ARGS[i]}"
  for arg in "${extra[@]}"; do
    if [[ $arg == SCRIPT=* ]]; then script=${arg#SCRIPT=}
    elif [[ $arg =~ ^[A-Z_]+= ]]; then env+=("$arg")
    elif [ -n "$arg" ]; then args+=(-H "$arg")
    fi
  done
  env "${env[@]}" wrk -t"$THREADS" -c"$conns" -d"$2" --timeout "$WRK_TIMEOUT" --latency -s "$script" "${args[@]}" \
    "${CELL_URL[i]}" >"$3" 2>&1 || true
  curl -s -o /dev/null --max-time 60 "${CELL_HELLO[i]}" || log "${CELL_HELLO[i]} did not answer within 60 s"
  sleep 1
}

# cell_result FILE: "req/s p99-ms errors" of one wrk run. A login run counts successful sign-ins
# only; errors are socket errors plus answers other than the expected ones.
cell_result() {
  local line
  line=$(grep '^RESULT ' "$1" | tail -1) || { cat "$1" >&2; echo "wrk gave no RESULT line: $1" >&2; exit 1; }
  awk -v line="$line" 'BEGIN {
    n = split(line, parts, " ")
    for (k = 2; k <= n; k++) { eq = index(parts[k], "="); v[substr(parts[k], 1, eq - 1)] = substr(parts[k], eq + 1) }
    if ("signins_per_s" in v) {          # benchmarks/http/signin.lua
      rps = v["signins_per_s"]; errors = v["other"] + v["socket_errors"] + int(v["busy_per_s"] * v["seconds"] + 0.5)
    } else {                             # the peers lua/report.lua
      sockets = v["connect_err"] + v["read_err"] + v["write_err"] + v["timeout_err"]
      if (v["check"] == "none") { rps = v["rps"]; errors = v["status_err"] + sockets }
      else { rps = v["check_ok"] / (v["duration_us"] / 1e6); errors = v["check_bad"] + sockets }
    }
    printf (rps >= 100 ? "%.0f" : "%.1f") " %s %d\n", rps, v["p99_ms"], errors
  }'
}

trap stop_started EXIT
trap 'exit 130' INT TERM

port_of() {
  local k=1 s
  for s in gatehouse javalin spring flask_sync flask_gthread; do
    [ "$s" = "$1" ] && { echo $((PORT_BASE + k)); return; }
    k=$((k + 1))
  done
}

start_gatehouse_system() {
  local base port
  port=$(port_of gatehouse); base="http://127.0.0.1:$port"
  # shellcheck disable=SC2086
  start_gatehouse "$port" "$OUT/credentials.gatehouse.txt" "$OUT/server.gatehouse.log" -Dsignin-users="$USERS" $JAVA_OPTS
  read_gatehouse_credentials "$OUT/credentials.gatehouse.txt"
  gatehouse_smoke "$base"
  signin_csrf "$base"
  add_cell gatehouse hello "GET /hello, bare route" "$base/hello"
  add_cell gatehouse session "GET /session/hello, session cookie" "$base/session/hello" "Cookie: $GATEHOUSE_COOKIE"
  add_cell gatehouse token "GET /token/hello, Authentication-Token" "$base/token/hello" "Authentication-Token: $GATEHOUSE_TOKEN"
  add_cell gatehouse role "GET /admin/hello, session cookie + role" "$base/admin/hello" "Cookie: $GATEHOUSE_COOKIE"
  add_cell gatehouse login "POST /login JSON + CSRF, $USERS users" "$base/login" SCRIPT="$HERE/signin.lua"
}

start_javalin() {
  local port
  port=$(port_of javalin)
  build_peer javalin_bare javalin-bare.jar
  # shellcheck disable=SC2086
  start_server javalin "$port" "$OUT/server.javalin.log" "" \
    "$JAVA" $JAVA_OPTS -Dhost=127.0.0.1 -Dport="$port" -jar "$PEER_JAR"
  add_cell javalin hello "GET /hello, no auth" "http://127.0.0.1:$port/hello"
}

start_spring() {
  local port base jar="$OUT/cookies.spring.txt" session basic json='Accept: application/json'
  port=$(port_of spring); base="http://127.0.0.1:$port"
  build_peer spring_security_app spring-security-app.jar
  # shellcheck disable=SC2086
  start_server spring "$port" "$OUT/server.spring.log" "" \
    "$JAVA" $JAVA_OPTS -jar "$PEER_JAR" --server.address=127.0.0.1 --server.port="$port" --bench.user-store="$SPRING_USER_STORE"
  expect_status 302 "$base/login" -c "$jar" --data 'username=test%40me.com&password=password'
  session=$(awk '$6 == "JSESSIONID" {print $7}' "$jar" | tail -1)
  [ -n "$session" ] || { echo "Spring's form login set no JSESSIONID" >&2; exit 1; }
  basic=$(printf '%s' 'test@me.com:password' | base64)
  expect_status 200 "$base/api/me" -H "$json" -H "Cookie: JSESSIONID=$session"
  expect_status 200 "$base/api/me" -H "$json" -H "Authorization: Basic $basic"
  expect_status 401 "$base/api/me" -H "$json"
  expect_status 200 "$base/admin" -H "$json" -H "Cookie: JSESSIONID=$session"
  add_cell spring hello "GET /hello, permitAll" "$base/hello"
  add_cell spring session "GET /api/me, JSESSIONID" "$base/api/me" "$json" "Cookie: JSESSIONID=$session"
  add_cell spring basic "GET /api/me, HTTP Basic (BCrypt 10 each)" "$base/api/me" "$json" "Authorization: Basic $basic"
  add_cell spring role "GET /admin, JSESSIONID + role" "$base/admin" "$json" "Cookie: JSESSIONID=$session"
  add_cell spring login "POST /login form, 302 (BCrypt 10)" "$base/login" \
    WRK_METHOD=POST WRK_BODY='username=test%40me.com&password=password' WRK_CTYPE=application/x-www-form-urlencoded WRK_CHECK=redirect_ok
}

start_flask() { # sync | gthread
  local flavour=$1 system="flask_$1" port base token session
  local db="$OUT/$system.sqlite" jar="$OUT/cookies.$system.txt"
  local workers=(-w 2 -k sync) json='Accept: application/json' login='{"email":"test@me.com","password":"password"}'
  [ "$flavour" = sync ] || workers=(-w 2 -k gthread --threads 4)
  port=$(port_of "$system"); base="http://127.0.0.1:$port"
  # Python would write __pycache__ beside app.py, into PEERS_DIR.
  export PYTHONDONTWRITEBYTECODE=1
  FS_DB_PATH="$db" "$PYTHON" "$PEERS_DIR/flask_security_app/app.py" init-db >"$OUT/initdb.$system.log" 2>&1
  FS_DB_PATH="$db" start_server "$system" "$port" "$OUT/server.$system.log" "" \
    "$PYTHON" -m gunicorn --chdir "$PEERS_DIR/flask_security_app" "${workers[@]}" -b "127.0.0.1:$port" app:app
  token=$(curl -sf -c "$jar" -H 'Content-Type: application/json' -H "$json" -d "$login" "$base/login?include_auth_token" \
    | "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["response"]["user"]["authentication_token"])') \
    || { echo "$system: JSON login failed" >&2; exit 1; }
  session=$(awk '$6 == "session" {print $7}' "$jar" | tail -1)
  [ -n "$session" ] || { echo "$system: the login set no session cookie" >&2; exit 1; }
  expect_status 200 "$base/api/me" -H "$json" -H "Cookie: session=$session"
  expect_status 200 "$base/api/me" -H "$json" -H "Authentication-Token: $token"
  expect_status 401 "$base/api/me" -H "$json"
  expect_status 200 "$base/admin" -H "$json" -H "Cookie: session=$session"
  add_cell "$system" hello "GET /hello, no auth" "$base/hello"
  add_cell "$system" session "GET /api/me, session cookie" "$base/api/me" "$json" "Cookie: session=$session"
  add_cell "$system" token "GET /api/me, Authentication-Token" "$base/api/me" "$json" "Authentication-Token: $token"
  add_cell "$system" role "GET /admin, session cookie + role" "$base/admin" "$json" "Cookie: session=$session"
  add_cell "$system" login "POST /login JSON (bcrypt 12)" "$base/login" "$json" \
    WRK_METHOD=POST WRK_BODY="$login" WRK_CTYPE=application/json WRK_CHECK=status200
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for system in $PEERS; do
  log "starting $system on port $(port_of "$system")"
  case $system in
    gatehouse) start_gatehouse_system ;;
    javalin) start_javalin ;;
    spring) start_spring ;;
    flask_sync) start_flask sync ;;
    flask_gthread) start_flask gthread ;;
  esac
done
log "all up and smoke-checked: ${#CELL_SYSTEM[@]} scenarios"

none() { [ "$1" = 0 ] || [ "$1" = 0s ]; }
if ! none "$JVM_PRIME"; then
  for i in "${!CELL_SYSTEM[@]}"; do
    if is_jvm "${CELL_SYSTEM[i]}" && [ "${CELL_SCENARIO[i]}" != login ]; then
      log "JIT prime ${CELL_SYSTEM[i]} ${CELL_SCENARIO[i]}: $JVM_PRIME (unreported)"
      run_cell "$i" "$JVM_PRIME" "$OUT/prime.${CELL_SYSTEM[i]}.${CELL_SCENARIO[i]}.txt"
    fi
  done
fi
if ! none "$WARMUP"; then
  for i in "${!CELL_SYSTEM[@]}"; do
    log "warm-up ${CELL_SYSTEM[i]} ${CELL_SCENARIO[i]}: $WARMUP (unreported)"
    run_cell "$i" "$WARMUP" "$OUT/warmup.${CELL_SYSTEM[i]}.${CELL_SCENARIO[i]}.txt"
  done
fi

RESULTS="$OUT/results.tsv"
: >"$RESULTS"
for round in $(seq 1 "$ROUNDS"); do
  for i in "${!CELL_SYSTEM[@]}"; do
    raw="$OUT/wrk.${CELL_SYSTEM[i]}.${CELL_SCENARIO[i]}.$round.txt"
    log "round $round/$ROUNDS: ${CELL_SYSTEM[i]} ${CELL_SCENARIO[i]}"
    run_cell "$i" "$DURATION" "$raw"
    result=$(cell_result "$raw")
    read -r rps p99 errors <<<"$result"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "${CELL_SYSTEM[i]}" "${CELL_SCENARIO[i]}" "$round" "$rps" "$p99" "$errors" >>"$RESULTS"
  done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
stop_started

# ------------------------------------------------------------------------------------ report --
column_of() { # column system scenario: that column of every round, one a line
  awk -F'\t' -v c="$1" -v s="$2" -v n="$3" '$1 == s && $2 == n {print $c}' "$RESULTS"
}
median_of() { column_of "$1" "$2" "$3" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a != "" && b > 0) printf (a / b < 0.01 ? "%.2g" : "%.3f"), a / b}'; }
javalin_hello=$(median_of 4 javalin hello)
gatehouse_session=$(median_of 4 gatehouse session)

SCENARIOS=()
for scenario in hello session token basic role login; do
  [[ " ${CELL_SCENARIO[*]} " == *" $scenario "* ]] && SCENARIOS+=("$scenario")
done
# chart_data COLUMN: one row per scenario, one column per system ("-" where it has no such scenario).
chart_data() {
  local system scenario value
  printf 'scenario'; for system in $PEERS; do printf ' %s' "$system"; done; echo
  for scenario in "${SCENARIOS[@]}"; do
    printf '%s' "$scenario"
    for system in $PEERS; do value=$(median_of "$1" "$system" "$scenario"); printf ' %s' "${value:--}"; done
    echo
  done
}
chart_data 4 >"$OUT/throughput.dat"
chart_data 5 >"$OUT/p99.dat"
systems=$(wc -w <<<"$PEERS")
bars="for [c=2:$((systems + 1))]"
# bar_chart FILE: gnuplot's plot of FILE's clusters, each bar labelled with its value. Bar c of a
# cluster sits (c - 2 - (systems - 1) / 2) / (systems + gap) from the cluster's centre.
bar_chart() {
  echo "plot $bars \"$1\" using c:xtic(1) title columnheader(c)," \
    "$bars \"$1\" using (\$0 + (c - 2 - ($systems - 1) / 2.0) / ($systems + 1)):c:(sprintf(column(c) < 100 ? \"%.3g\" : \"%.0f\", column(c)))" \
    "with labels rotate by 90 left offset 0,0.4 font \",8\" notitle"
}
gnuplot >"$OUT/gnuplot.log" 2>&1 <<EOF || { cat "$OUT/gnuplot.log" >&2; exit 1; }
set terminal pngcairo size 1200,1000 font "sans,11" noenhanced
set output "$OUT/$CHART_NAME"
set multiplot layout 2,1 title "Gatehouse and its peers over HTTP, $(date -u '+%Y-%m-%d'): median of $ROUNDS interleaved wrk runs (-t$THREADS -c$CONNS, login -c$LOGIN_CONNS, $DURATION)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set datafile missing "-"
set key autotitle columnheader
set key outside right top vertical
set grid ytics mytics
set logscale y
set format y "%g"
set xrange [-0.5:${#SCENARIOS[@]} - 0.5]
set offsets 0, 0, graph 0.12, 0
set ylabel "requests/s (login: sign-ins/s), log scale"
$(bar_chart "$OUT/throughput.dat")
set ylabel "p99 latency, ms, log scale"
$(bar_chart "$OUT/p99.dat")
unset multiplot
EOF

versions() {
  local pom="$PEERS_DIR/spring_security_app/pom.xml"
  echo "- $("$JAVA" -version 2>&1 | head -1)${JAVA_OPTS:+, JAVA_OPTS=$JAVA_OPTS}; $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
  [[ " $PEERS " != *" gatehouse "* ]] \
    || echo "- gatehouse: commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD 2>/dev/null || echo ' with local changes'), HttpBenchApp (Javalin, in-memory stores)"
  [[ " $PEERS " != *" javalin "* ]] || echo "- javalin: Javalin $(sed -n 's:.*<javalin.version>\(.*\)</javalin.version>.*:\1:p' "$PEERS_DIR/javalin_bare/pom.xml"), GET /hello and nothing else: the ceiling"
  [[ " $PEERS " != *" spring "* ]] || echo "- spring: Spring Boot $(grep -A2 '<artifactId>spring-boot-starter-parent' "$pom" | sed -n 's:.*<version>\(.*\)</version>.*:\1:p'), Spring Security defaults, $SPRING_USER_STORE user store"
  if [[ " $PEERS " == *" flask_"* ]]; then
    echo "- flask_sync, flask_gthread: Flask-Security-Too $("$PYTHON" -c 'import flask_security; print(flask_security.__version__)')" \
      "on $("$PYTHON" --version), gunicorn $("$PYTHON" -m gunicorn --version 2>&1 | sed 's/.*version \([0-9.]*\).*/\1/')" \
      "(2 sync workers; 2 gthread workers × 4 threads), SQLite"
  fi
}

# report IMAGE: the markdown report, with the chart at the path IMAGE.
report() {
  local i system scenario values median p99 errors to_javalin to_session
  echo "Run of $(date -u '+%Y-%m-%d %H:%M UTC') (took $((SECONDS / 60)) min $((SECONDS % 60)) s) on $(machine); load average $LOAD_BEFORE before, $LOAD_AFTER after."
  echo
  versions
  echo
  echo "\`$COMMAND\`"
  echo
  echo "![Throughput and p99 latency per scenario, grouped by system]($1)"
  echo
  echo "| system | scenario | request | req/s per round | median req/s | median p99 ms | × bare Javalin hello | × Gatehouse session | errors |"
  echo "|---|---|---|---|---:|---:|---:|---:|---:|"
  for i in "${!CELL_SYSTEM[@]}"; do
    system=${CELL_SYSTEM[i]} scenario=${CELL_SCENARIO[i]}
    values=$(column_of 4 "$system" "$scenario" | paste -sd' ' -)
    median=$(median_of 4 "$system" "$scenario")
    p99=$(median_of 5 "$system" "$scenario")
    errors=$(column_of 6 "$system" "$scenario" | awk '{s += $1} END {print s + 0}')
    to_javalin="" to_session=""
    [ "$scenario" = login ] || to_javalin=$(ratio "$median" "$javalin_hello")
    case $scenario in session | token | basic | role) to_session=$(ratio "$median" "$gatehouse_session") ;; esac
    echo "| $system | $scenario | ${CELL_DESCRIPTION[i]} | $values | $median | $p99 | $to_javalin | $to_session | $errors |"
  done
  echo
  echo "Login rows count successful sign-ins per second. Errors: socket errors and unexpected answers, all rounds."
}
report "$CHART_NAME" >"$OUT/report.md"
cat "$OUT/report.md"
if [ "$UPDATE_DOCS" != 0 ]; then
  mkdir -p docs/img
  cp "$OUT/$CHART_NAME" "docs/img/$CHART_NAME"
  report "img/$CHART_NAME" >"$OUT/report.docs.md"
  awk -v begin="$BEGIN_MARKER" -v end="$END_MARKER" -v report="$OUT/report.docs.md" '
    $0 == end {skip = 0}
    !skip {print}
    $0 == begin {print ""; while ((getline line < report) > 0) print line; print ""; skip = 1}
  ' "$DOC" >"$OUT/benchmarks.md"
  cp "$OUT/benchmarks.md" "$DOC"
  log "wrote $DOC and docs/img/$CHART_NAME"
fi
