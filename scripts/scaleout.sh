#!/usr/bin/env bash
# Throughput of Cohortly's GET /api/v1/leads with 1 and then 3 instances on one PostgreSQL database,
# behind the cut-over router as the load balancer (round robin, every route -> new). Prints the load
# tool's report for each run and the requests each instance served (from its /metrics).
#
#   scripts/scaleout.sh [DURATION]      (default 10s per run; PostgreSQL at 127.0.0.1:5432, trust auth)
#
# Ports 127.0.0.1:23300-23309; database scaleout_leads (dropped at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
dur=${1:-10s}
work=$(mktemp -d)
db=scaleout_leads
pg=postgres://postgres@127.0.0.1:5432
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql -q "$pg/postgres" -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
go build -o "$work/cohortly" ./cmd/cohortly
go build -o "$work/cutover" ./cmd/cutover
go build -o "$work/load" ./cmd/load
psql -q "$pg/postgres" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
export DATABASE_URL="$pg/$db?sslmode=disable" NODE_ENV=development LOG_LEVEL=warn HOST=127.0.0.1
"$work/cohortly" seed >/dev/null

wait_up() { for _ in $(seq 1 100); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "not up: $1" >&2; exit 1; }
served() { curl -fs "http://127.0.0.1:$1/metrics" | awk '/^http_requests_total/ && /route="GET \/api\/v1\/leads"/ {s+=$NF} END {printf "%d", s}'; }

for port in 23301 23302 23303; do
  PORT=$port "$work/cohortly" >"$work/c$port.log" 2>&1 & pids+=($!)
  wait_up "http://127.0.0.1:$port/readyz"
done
# Create the page the endpoint returns (20 leads) once, through the API.
"$work/load" -service cohortly -url http://127.0.0.1:23301 -prepare -endpoints "GET /api/v1/leads" -d 1s -warmup 0 >/dev/null

run() { # N: instances behind the router
  local n=$1 urls=""
  for i in $(seq 1 "$n"); do urls+="${urls:+,}http://127.0.0.1:$((23300 + i))"; done
  cat >"$work/lb.yaml" <<YAML
service: cohortly
listen: 127.0.0.1:23300
backends:
  legacy: {urls: [http://127.0.0.1:23309], health: /healthz}
  new: {urls: [${urls//,/, }], health: /readyz}
default: new
YAML
  "$work/cutover" -config "$work/lb.yaml" -difflog - >"$work/lb$n.log" 2>&1 & local lb=$!
  wait_up "http://127.0.0.1:23300/api/v1/health"
  local before=() after=()
  for p in 23301 23302 23303; do before+=("$(served $p)"); done
  echo "== $n instance(s) behind the router"
  "$work/load" -service cohortly -url http://127.0.0.1:23300 -endpoints "GET /api/v1/leads" -d "$dur" -c 64
  for p in 23301 23302 23303; do after+=("$(served $p)"); done
  for i in 0 1 2; do echo "instance $((23301 + i)): $(( after[i] - before[i] )) requests"; done
  kill "$lb"; wait "$lb" 2>/dev/null || true
}
run 1
run 3
