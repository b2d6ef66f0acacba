#!/usr/bin/env bash
# The shipped frontends' flows through `cutover`, every route in `shadow legacy`, against the real
# legacy servers: the legacy Node server answers the browser, ours receives the safe copies, and the
# router's report says per route how often the two answered differently and why.
#
#   scripts/shadowrun/run.sh            (from anywhere; README: "Cut-over router", "The frontends' flows")
#
# What runs, per service, as in step 1 of the runbook (the shared secrets, both sides on one database):
#   Momentum: the legacy server (a copy of the oracle build) on a copy of the legacy fixture, ours on the
#             SAME file (the runbook's two-writer setup: every write the browser makes through legacy is
#             then there for ours to read, so the copies compare like with like).
#   Cohortly: the legacy server (INIT_DB=1 + the legacy seed) and ours on the SAME PostgreSQL database.
#   The router in front of each (its preset with every rule forced to `shadow legacy`), the frontends
#   built against the router, and ../shared/legacy/frontends/e2e.js driving them in headless Chromium.
#
# Environment (defaults in brackets):
#   SHADOWRUN_WORK        work dir: sources, node_modules, builds, logs, diff logs [$TMPDIR/shadowrun]
#   SHADOWRUN_PORT_BASE   ports base+1..4 Momentum (legacy, ours, router, web), +11..14 Cohortly, +99 font [23100]
#   SHADOWRUN_DB          Cohortly's PostgreSQL database, dropped and re-created [shr_cohortly]
#   SHADOWRUN_PG          PostgreSQL server URL without a database [postgres://postgres@127.0.0.1:5432]
#   SHADOWRUN_GROUPS      e2e.js groups [momentum cohortly refresh]
#   SHADOWRUN_SHARED      the shared folder (legacy/, fixtures/, contracts/) [PROJECT/../shared]
#   SHADOWRUN_LEGACY_BUILD folder holding the finished oracle builds momentum/ and cohortly/ [PROJECT/../legacy-build]
#   SHADOWRUN_LEGACY_GIT  folder holding Final-MVP.git and Cohortly.git [PROJECT/../legacy-git, else SHARED/legacy]
#   SHADOWRUN_CHROME      Chromium binary [chromium on PATH; apt-get install when missing and root]
#
# Prints the flows (PASS/FAIL), then `cutover report -strict` per service; exits 1 when any differing
# path is unexplained (or setup failed). Flow failures alone do not fail the run: several flows fail on
# the legacy server itself (its own bugs, listed in the README), which is what answers here.
set -u -o pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROJECT="$(cd "$HERE/../.." && pwd)"
SHARED="${SHADOWRUN_SHARED:-$PROJECT/../shared}"
FE="$SHARED/legacy/frontends"
WORK="${SHADOWRUN_WORK:-${TMPDIR:-/tmp}/shadowrun}"
BASE="${SHADOWRUN_PORT_BASE:-23100}"
DB="${SHADOWRUN_DB:-shr_cohortly}"
PG="${SHADOWRUN_PG:-postgres://postgres@127.0.0.1:5432}"
GROUPS_TO_RUN="${SHADOWRUN_GROUPS:-momentum cohortly refresh}"
BUILDS="${SHADOWRUN_LEGACY_BUILD:-$PROJECT/../legacy-build}"
GITS="${SHADOWRUN_LEGACY_GIT:-$PROJECT/../legacy-git}"; [ -d "$GITS/Final-MVP.git/refs" ] || GITS="$SHARED/legacy"
LOG="$WORK/logs"; OUT="$WORK/out"; RUN="$WORK/run"; SRC="$WORK/src"; BIN="$WORK/bin"
T0=$(date +%s)

# ports: legacy, ours, router, web per service
ML=$((BASE + 1)); MN=$((BASE + 2)); MR=$((BASE + 3)); MW=$((BASE + 4))
CL=$((BASE + 11)); CN=$((BASE + 12)); CR=$((BASE + 13)); CW=$((BASE + 14)); FONT_PORT=$((BASE + 99))
M_API="http://127.0.0.1:$MR/api"; M_WEB="http://127.0.0.1:$MW"
C_API="http://127.0.0.1:$CR/api/v1"; C_WEB="http://127.0.0.1:$CW"
# Runbook step 1: the two sides share their token secrets, so a token either issues works on both.
M_SECRET=shadowrun-momentum-jwt-secret-0123456789abcdef
C_SECRETS=(JWT_ACCESS_SECRET=shadowrun-access-secret-0123456789abcdef JWT_REFRESH_SECRET=shadowrun-refresh-secret-0123456789abcdef)
DB_URL="$PG/$DB?sslmode=disable"

die() { echo "shadowrun: $*" >&2; exit 1; }
note() { echo "# $*" >&2; }

PIDS=()
stop_all() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && wait "$pid" 2>/dev/null; done
  # the legacy servers run under setsid (not our children): wait until they are gone
  for pid in "${PIDS[@]:-}"; do while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; do sleep 0.1; done; done
  PIDS=()
}
trap stop_all EXIT
wait_http() { # url seconds
  local i; for ((i = 0; i < $2 * 5; i++)); do curl -fs -o /dev/null "$1" && return 0; sleep 0.2; done; return 1
}
stop_pid() { kill "$1" 2>/dev/null; while kill -0 "$1" 2>/dev/null; do sleep 0.1; done; }

# ------------------------------------------------------------------ tools and inputs
for t in node npm go curl git psql; do command -v "$t" >/dev/null || die "$t is not installed"; done
for f in "$FE/e2e.js" "$FE/serve-spa.js" "$FE/next-font-mock.js" "$SHARED/fixtures/legacy-momentum.sqlite" \
  "$SHARED/fixtures/cohortly-legacy-seed.sql" "$BUILDS/momentum/.built-97fa3a0" "$BUILDS/cohortly/.built-cbfe5b4"; do
  [ -e "$f" ] || die "missing $f (see SHADOWRUN_SHARED, SHADOWRUN_LEGACY_BUILD)"
done
CHROME="${SHADOWRUN_CHROME:-$(command -v chromium || command -v chromium-browser || true)}"
if [ -z "$CHROME" ]; then
  note "installing Debian's chromium"
  (apt-get update && apt-get install -y chromium) > "$LOG/apt.log" 2>&1 || die "apt-get install chromium failed"
  CHROME="$(command -v chromium)"
fi
mkdir -p "$LOG" "$RUN" "$SRC" "$BIN"
rm -rf "$OUT"; mkdir -p "$OUT"

# ------------------------------------------------------------------ frontends: as ../shared/legacy/frontends/run.sh
# builds them (same commits, same workarounds), but against the routers; installs and builds are reused.
extract() { # gitdir commit subdir dest
  [ -d "$4/$3" ] && return 0
  mkdir -p "$4" && git --git-dir="$1" archive "$2" "$3" | tar -x -C "$4" || die "git archive $2 $3 failed"
}
extract "$GITS/Final-MVP.git" 97fa3a0 client "$SRC/momentum"
extract "$GITS/Cohortly.git" cbfe5b4 frontend "$SRC/cohortly"
M_CLIENT="$SRC/momentum/client"; C_FRONT="$SRC/cohortly/frontend"
if [ ! -d "$M_CLIENT/node_modules" ]; then
  note "npm ci (Momentum client)"
  (cd "$M_CLIENT" && npm ci --ignore-scripts --no-audit --no-fund) > "$LOG/npm-momentum.log" 2>&1 || die "npm ci failed ($LOG/npm-momentum.log)"
fi
if [ ! -d "$C_FRONT/node_modules" ]; then
  note "npm install (Cohortly frontend)"
  (cd "$C_FRONT" && npm install --ignore-scripts --no-audit --no-fund) > "$LOG/npm-cohortly.log" 2>&1 || die "npm install failed ($LOG/npm-cohortly.log)"
fi
if [ ! -d "$WORK/node/node_modules/puppeteer-core" ]; then
  note "npm install puppeteer-core (no browser download)"
  mkdir -p "$WORK/node" && echo '{"name":"shadowrun","private":true}' > "$WORK/node/package.json"
  (cd "$WORK/node" && PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund puppeteer-core@24) > "$LOG/npm-puppeteer.log" 2>&1 || die "npm install puppeteer-core failed"
fi
if [ "$(cat "$M_CLIENT/build/.api-url" 2>/dev/null)" != "$M_API" ]; then
  note "building the Momentum client (REACT_APP_API_URL=$M_API)"
  (cd "$M_CLIENT" && CI=false GENERATE_SOURCEMAP=false REACT_APP_API_URL="$M_API" npx react-scripts build) > "$LOG/build-momentum.log" 2>&1 \
    || die "Momentum client build failed ($LOG/build-momentum.log)"
  echo "$M_API" > "$M_CLIENT/build/.api-url"
fi
if [ "$(cat "$C_FRONT/.next/.api-url" 2>/dev/null)" != "$C_API" ]; then
  note "building the Cohortly frontend (NEXT_PUBLIC_API_URL=$C_API)"
  FONT_FILE="$(fc-match -f '%{file}' sans 2>/dev/null || true)"
  [ -f "$FONT_FILE" ] || FONT_FILE="$(find /usr/share/fonts -name '*.ttf' 2>/dev/null | head -1)"
  [ -f "$FONT_FILE" ] || die "no system font to stand in for Google Fonts"
  mkdir -p "$RUN/font" && cp "$FONT_FILE" "$RUN/font/font.ttf"
  (cd "$RUN/font" && exec python3 -m http.server "$FONT_PORT" --bind 127.0.0.1) > "$LOG/fontsrv.log" 2>&1 &
  FONT_PID=$!
  wait_http "http://127.0.0.1:$FONT_PORT/font.ttf" 10 || die "local font server did not start"
  (cd "$C_FRONT" && rm -rf .next && NEXT_TELEMETRY_DISABLED=1 NEXT_PUBLIC_API_URL="$C_API" \
     NEXT_FONT_GOOGLE_MOCKED_RESPONSES="$FE/next-font-mock.js" FE_FONT_URL="http://127.0.0.1:$FONT_PORT/font.ttf" \
     node node_modules/next/dist/bin/next build) > "$LOG/build-cohortly.log" 2>&1
  rc=$?; stop_pid "$FONT_PID"; [ $rc = 0 ] || die "Cohortly frontend build failed ($LOG/build-cohortly.log)"
  echo "$C_API" > "$C_FRONT/.next/.api-url"
fi
note "building cmd/momentum, cmd/cohortly, cmd/cutover"
(cd "$PROJECT" && go build -o "$BIN/" ./cmd/momentum ./cmd/cohortly ./cmd/cutover) > "$LOG/go-build.log" 2>&1 || die "go build failed ($LOG/go-build.log)"

# ------------------------------------------------------------------ backends
start_legacy() { # service port env...
  local svc=$1 port=$2 git pid; shift 2
  case $svc in momentum) git="$GITS/Final-MVP.git" ;; cohortly) git="$GITS/Cohortly.git" ;; esac
  pid=$(env "$@" "$SHARED/legacy/oracles/start-$svc.sh" "$git" "$port" "$RUN/legacy-$svc" 2>> "$LOG/legacy-$svc.start.log" | tail -1)
  [[ "$pid" =~ ^[0-9]+$ ]] || die "legacy $svc did not start ($LOG/legacy-$svc.start.log, $RUN/legacy-$svc/server.log)"
  PIDS+=("$pid"); LAST_PID=$pid
}
start_ours() { # service health-url env...
  local svc=$1 url=$2; shift 2
  (cd "$RUN" && exec env "$@" "$BIN/$svc") >> "$LOG/ours-$svc.log" 2>&1 &
  PIDS+=("$!")
  wait_http "$url" 30 || die "our $svc did not start ($LOG/ours-$svc.log)"
}
rm -rf "$RUN/legacy-momentum" "$RUN/legacy-cohortly"
cp -a "$BUILDS/momentum" "$RUN/legacy-momentum" && cp -a "$BUILDS/cohortly" "$RUN/legacy-cohortly" || die "copying the legacy builds failed"

note "Momentum: legacy on :$ML and ours on :$MN, both on $RUN/legacy-momentum/server/database.sqlite"
start_legacy momentum "$ML" MOMENTUM_DB="$SHARED/fixtures/legacy-momentum.sqlite" JWT_SECRET="$M_SECRET"
start_ours momentum "http://127.0.0.1:$MN/readyz" PORT="$MN" HOST=127.0.0.1 JWT_SECRET="$M_SECRET" \
  MOMENTUM_SQLITE_PATH="$RUN/legacy-momentum/server/database.sqlite" CORS_ORIGINS="$M_WEB" UPLOAD_DIR="$RUN/uploads" \
  MOMENTUM_ENV_FILE=/nonexistent

note "Cohortly: legacy on :$CL and ours on :$CN, both on PostgreSQL database $DB (legacy seed)"
C_COMMON=(CORS_ORIGIN="$C_WEB" DATABASE_URL="$DB_URL" "${C_SECRETS[@]}")
start_legacy cohortly "$CL" INIT_DB=1 SEED_SQL="$SHARED/fixtures/cohortly-legacy-seed.sql" "${C_COMMON[@]}"
C_LEGACY_PID=$LAST_PID
start_ours cohortly "http://127.0.0.1:$CN/readyz" PORT="$CN" HOST=127.0.0.1 "${C_COMMON[@]}" COHORTLY_ENV_FILE=/nonexistent \
  STUDENT_DB_URL="postgres://student_ro:student_ro_pw@127.0.0.1:5432/cohortly_students?sslmode=disable"

# ------------------------------------------------------------------ routers: the preset, every rule forced to shadow legacy
start_router() { # service legacy-port new-port listen-port
  local svc=$1 cfg="$RUN/cutover-$1.yaml"
  "$BIN/cutover" preset "$svc" | sed -E \
    -e 's/^default: .*/default: shadow legacy/' \
    -e '/^ *#/!s/^( *- [^#]*->) *[^#]*$/\1 shadow legacy/' \
    -e '/^ *#/!s/^( *to:) .*/\1 shadow legacy/' > "$cfg"
  "$BIN/cutover" check -config "$cfg" -legacy "http://127.0.0.1:$2" -new "http://127.0.0.1:$3" > "$OUT/routes-$svc.txt" 2>&1 \
    || die "cutover check $cfg failed: $(cat "$OUT/routes-$svc.txt")"
  if grep -v '^ *#' "$cfg" | grep -Eq -- '(->|^ *to:) *(legacy|new|hold|split)'; then die "$cfg: a rule is not shadow legacy"; fi
  (exec "$BIN/cutover" -config "$cfg" -listen "127.0.0.1:$4" -legacy "http://127.0.0.1:$2" -new "http://127.0.0.1:$3" \
     -difflog "$OUT/diffs-$svc.jsonl" -access-log) > "$LOG/cutover-$svc.log" 2>&1 &
  PIDS+=("$!"); eval "ROUTER_PID_$svc=$!"
  wait_http "http://127.0.0.1:$4/readyz" 20 || die "cutover ($svc) did not become ready ($LOG/cutover-$svc.log)"
}
start_router momentum "$ML" "$MN" "$MR"
start_router cohortly "$CL" "$CN" "$CR"

node "$FE/serve-spa.js" "$M_CLIENT/build" "$MW" 127.0.0.1 > "$LOG/spa.log" 2>&1 &
PIDS+=("$!")
(cd "$C_FRONT" && NEXT_TELEMETRY_DISABLED=1 exec node node_modules/next/dist/bin/next start -p "$CW" -H 127.0.0.1) > "$LOG/next.log" 2>&1 &
PIDS+=("$!")
wait_http "$M_WEB/" 20 || die "Momentum client server did not start"
wait_http "$C_WEB/login" 60 || die "Cohortly frontend server did not start ($LOG/next.log)"

# ------------------------------------------------------------------ the flows (the shipped e2e.js, pointed at the routers)
export CHROME OUT_DIR="$OUT" FE_MODULES="$WORK/node/node_modules" M_WEB M_API C_WEB C_API
for g in $GROUPS_TO_RUN; do
  if [ "$g" = refresh ]; then
    # as run.sh does for ours: the same data, access tokens that live 20 s, on the side that answers
    note "restarting legacy Cohortly with JWT_ACCESS_EXPIRY=20s for the token-refresh flow"
    stop_pid "$C_LEGACY_PID"
    start_legacy cohortly "$CL" JWT_ACCESS_EXPIRY=20s "${C_COMMON[@]}"
    export REFRESH_WAIT_S=25
  fi
  node "$FE/e2e.js" "$g" 2> "$LOG/e2e-$g.stderr" | tee -a "$LOG/e2e.out" | grep -E '^(PASS|FAIL) '
done
PASSED=$(grep -c '"result":"PASS"' "$OUT/results.jsonl" 2>/dev/null); FAILED=$(grep -c '"result":"FAIL"' "$OUT/results.jsonl" 2>/dev/null)
echo "flows: ${PASSED:-0} passed, ${FAILED:-0} failed (legacy answering; details $OUT/results.jsonl)"

# ------------------------------------------------------------------ the reports (routers stopped first: they drain and write their last stats)
stop_pid "$ROUTER_PID_momentum"; stop_pid "$ROUTER_PID_cohortly"
status=0
for svc in momentum cohortly; do
  echo; echo "=== $svc: cutover report -strict (every route shadow legacy; $OUT/diffs-$svc.jsonl)"
  "$BIN/cutover" report -config "$RUN/cutover-$svc.yaml" -top 20 -strict "$OUT/diffs-$svc.jsonl" || status=1
done
stop_all
note "took $(( $(date +%s) - T0 )) s"
[ $status = 0 ] && echo "shadowrun: no unexplained diff" || echo "shadowrun: UNEXPLAINED diffs (see the reports above)"
exit $status
