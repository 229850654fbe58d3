#!/usr/bin/env bash
# Restarts the daemon under load and counts what clients lost. Not a test: take the figures on a quiet machine.
#   bench/restart.sh                 10 planned restarts (slipway up --takeover) under wrk, then one kill -9
#   RESTARTS=3 INTERVAL=2 bench/restart.sh
# Prints failed requests per planned restart (target 0: wrk's socket errors plus non-2xx answers) and, for
# kill -9 followed by a plain `slipway up`, the gap from the kill to the first answer again.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
restarts=${RESTARTS:-10}
interval=${INTERVAL:-3}
connections=${CONNECTIONS:-32}
timeout=${TIMEOUT:-10s} # a request not answered within this counts as failed (wrk's 2 s default is only latency on a loaded machine)
command -v wrk >/dev/null || { echo "restart.sh: needs wrk (apt-get install wrk)" >&2; exit 1; }
command -v curl >/dev/null || { echo "restart.sh: needs curl (apt-get install curl)" >&2; exit 1; }

"$here/slipway.sh" version >/dev/null # builds the CLI and the demo app when sources changed
slipway=(dotnet "$here/artifacts/bin/slipway.dll")
demo="$here/examples/demo-app/bin/Release/net10.0/demo-app.dll"
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done; done
  rm -rf "$work"
}
trap cleanup EXIT

cat >"$work/slipway.yaml" <<YAML
app: restart-bench
proxy: { listen: ["http://127.0.0.1:0"] }
services:
  web:
    run: { command: dotnet, args: ["$demo"] }
    replicas: 2
    routes: [ { path: / } ]
    health:
      readiness: { http: /ready, period: 1s, timeout: 1s }
    stop: { drainTimeout: 5s, gracePeriod: 5s }
YAML

# Starts a daemon (extra arguments passed on), waits until it serves; sets $daemon and $port.
start() {
  local log="$work/daemon-$1.log"; shift
  "${slipway[@]}" up "$work/slipway.yaml" --state-dir "$work/state" --api 127.0.0.1:0 "$@" >"$log" 2>&1 &
  daemon=$!
  pids+=("$daemon")
  for _ in $(seq 600); do
    grep -q "proxy listening on" "$log" && break
    kill -0 "$daemon" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.1
  done
  port=$(sed -n 's/.*proxy listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$log" | head -1)
  for _ in $(seq 600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/")" = 200 ] && return
    sleep 0.1
  done
  echo "restart.sh: the daemon never answered 200; its log:" >&2; cat "$log" >&2; exit 1
}

start 0
# The edge keeps this port from now on (a hand-over passes the socket on; the daemon after kill -9 binds it again).
sed -i "s|http://127.0.0.1:0|http://127.0.0.1:$port|" "$work/slipway.yaml"
duration=$(( (restarts + 1) * interval + 5 ))
wrk -t2 -c"$connections" -d"${duration}s" --timeout "$timeout" "http://127.0.0.1:$port/" >"$work/wrk.txt" 2>&1 &
load=$!
sleep "$interval"
for i in $(seq "$restarts"); do
  old=$daemon
  start "$i" --takeover
  while kill -0 "$old" 2>/dev/null; do sleep 0.05; done
  grep -q "handed over" "$work/daemon-$((i - 1)).log" || { echo "restart.sh: restart $i did not hand over:" >&2; cat "$work/daemon-$((i - 1)).log" >&2; exit 1; }
  sleep "$interval"
done
wait "$load" || true

requests=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$work/wrk.txt")
errors=$(sed -n 's/.*Socket errors: connect \([0-9]*\), read \([0-9]*\), write \([0-9]*\), timeout \([0-9]*\).*/\1 \2 \3 \4/p' "$work/wrk.txt")
non2xx=$(sed -n 's/.*Non-2xx or 3xx responses: \([0-9]*\).*/\1/p' "$work/wrk.txt")
failed=$(( ${non2xx:-0} + $(echo "${errors:-0 0 0 0}" | tr ' ' '\n' | paste -sd+ | bc) ))
echo "planned restarts: $restarts under wrk -c$connections ($requests requests): $failed failed ($(echo "scale=2; $failed / $restarts" | bc) per restart; socket errors connect/read/write/timeout: ${errors:-0 0 0 0}; non-2xx: ${non2xx:-0})"

# kill -9, then a plain `slipway up`: the time from the kill to the first answer (the new process's start included).
kill -KILL "$daemon"
while kill -0 "$daemon" 2>/dev/null; do sleep 0.01; done
killed=$(date +%s.%N)
"${slipway[@]}" up "$work/slipway.yaml" --state-dir "$work/state" --api 127.0.0.1:0 >"$work/daemon-after-kill.log" 2>&1 &
daemon=$!
pids+=("$daemon")
for _ in $(seq 6000); do
  [ "$(curl -s -o /dev/null -m 1 -w '%{http_code}' "http://127.0.0.1:$port/" 2>/dev/null)" = 200 ] && break
  kill -0 "$daemon" 2>/dev/null || { echo "restart.sh: the daemon after kill -9 exited:" >&2; cat "$work/daemon-after-kill.log" >&2; exit 1; }
  sleep 0.01
done
echo "kill -9: $(echo "$(date +%s.%N) - $killed" | bc | xargs printf '%.2f')s from the kill to the first answer of the next daemon"
