#!/usr/bin/env bash
# Version switches under load: Slipway's rolling, blue-green and canary deploys beside the same switch done
# by `nginx -s reload`, counting every failed request. Also a bad version (half its requests fail) under a
# canary: how long until Slipway rolls it back, and how many failures reached the client. Not a test.
#   bench/rollout.sh                       # 6 switches per strategy
#   DEPLOYS=10 bench/rollout.sh
#   ONLY="nginx canary" KEEP=1 bench/rollout.sh   # some of the switches; keep logs in the work dir
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
deploys=${DEPLOYS:-6}
base=${BASE_PORT:-14200} # base..base+15; below the instance ports (15000-22999) its own daemons hand out
work=$(mktemp -d /tmp/slipway-rollout.XXXXXX)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

source "$here/needs.sh"
needs nginx:nginx-light wrk:wrk curl:curl
ulimit -n 65536 2>/dev/null || true

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -f "$work/nginx/nginx.pid" ]; then kill "$(cat "$work/nginx/nginx.pid")" 2>/dev/null || true; fi
  if [ -z "${KEEP:-}" ]; then rm -rf "$work"; else echo "rollout.sh: kept $work" >&2; fi
}
trap cleanup EXIT

dotnet build "$root/examples/demo-app" -c Release --nologo -v quiet -clp:ErrorsOnly >/dev/null
"$root/slipway.sh" version >/dev/null
demo="$root/examples/demo-app/bin/Release/net10.0/demo-app.dll"

cat >"$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = "hello"
wrk.headers["Content-Type"] = "text/plain"
LUA

# Load: keep-alive GETs and POSTs on a new connection each; both until stop_load.
start_load() {
  local url=$1 name=$2
  wrk -t1 -c16 -d1h --latency "$url" >"$work/$name.get" 2>&1 & load_get=$!
  wrk -t1 -c4 -d1h -H "Connection: close" -s "$work/post.lua" "$url" >"$work/$name.post" 2>&1 & load_post=$!
  pids+=("$load_get" "$load_post")
  sleep 1
}

# Sets $requests and $failed (socket errors + non-2xx/3xx) over both load generators, and $failed_get.
failures() {
  awk '
    / requests in / { requests += $1 }
    /Socket errors:/ { gsub(",", ""); failed += $4 + $6 + $8 + $10 }
    /Non-2xx or 3xx responses:/ { failed += $5 }
    END { printf "%d %d\n", requests, failed }' "$@"
}
stop_load() {
  local name=$1
  kill -INT "$load_get" "$load_post"
  wait "$load_get" "$load_post" 2>/dev/null || true
  read -r requests failed < <(failures "$work/$name.get" "$work/$name.post")
  read -r _ failed_get < <(failures "$work/$name.get")
}

wait_http() {
  for _ in $(seq 1 300); do
    if curl -fs -o /dev/null "$1"; then return 0; fi
    sleep 0.2
  done
  echo "rollout.sh: $1 never answered" >&2
  exit 1
}

# --- nginx: two versions running, the upstream switched by rewriting the config and reloading ---------
nginx_switch() {
  local port=$((base + 1)) v1=$((base + 2)) v2=$((base + 3))
  mkdir -p "$work/nginx/logs"
  PORT=$v1 DEMO_VERSION=1 dotnet "$demo" >"$work/nginx/v1.log" 2>&1 & pids+=($!)
  PORT=$v2 DEMO_VERSION=2 dotnet "$demo" >"$work/nginx/v2.log" 2>&1 & pids+=($!)
  wait_http "http://127.0.0.1:$v1/ready"; wait_http "http://127.0.0.1:$v2/ready"
  write_conf() {
    cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  upstream app { server 127.0.0.1:$1; keepalive 32; }
  server {
    listen 127.0.0.1:$port;
    location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
CONF
  }
  write_conf "$v1"
  nginx -p "$work/nginx" -c "$work/nginx/nginx.conf"
  wait_http "http://127.0.0.1:$port/"
  start_load "http://127.0.0.1:$port/" nginx
  local started=$SECONDS target=$v2
  for _ in $(seq 1 "$deploys"); do
    sleep 2
    write_conf "$target"
    nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -s reload 2>/dev/null
    target=$([ "$target" = "$v1" ] && echo "$v2" || echo "$v1")
  done
  sleep 2
  stop_load nginx
  kill "$(cat "$work/nginx/nginx.pid")"
  printf '%-24s %10s %8s %16s\n' "nginx reload" "$requests" "$failed" "$(( (SECONDS - started) / deploys ))s/switch"
}

# --- Slipway: `slipway up`, then `slipway deploy --wait` alternating versions under the same load --------
slipway_strategy() {
  local strategy=$1 deploy=$2 index=$3
  local dir="$work/slipway-$strategy" port=$((base + 10 + index * 2)) api=$((base + 11 + index * 2))
  mkdir -p "$dir"
  cat >"$dir/slipway.yaml" <<YAML
app: bench
proxy: { listen: ["http://127.0.0.1:$port"] }
services:
  web:
    version: "1"
    run:
      command: sh
      args: ["-c", "case \${VERSION} in bad*) export DEMO_FAIL_RATE=0.5;; esac; exec dotnet $demo"]
      env: { DEMO_VERSION: "\${VERSION}", DEMO_SHUTDOWN_TIMEOUT: 5s }
    replicas: 2
    routes: [ { path: / } ]
    health:
      readiness: { http: /ready, period: 250ms, timeout: 250ms, failureThreshold: 3 }
    stop: { drainTimeout: 3s, gracePeriod: 5s }
    deploy: $deploy
YAML
  "$root/slipway.sh" up "$dir/slipway.yaml" --state-dir "$dir/state" --api "127.0.0.1:$api" >"$dir/daemon.log" 2>&1 & local daemon=$!
  pids+=("$daemon")
  wait_http "http://127.0.0.1:$port/"
  start_load "http://127.0.0.1:$port/" "$strategy"
  local started=$SECONDS version=2 ok=0
  for _ in $(seq 1 "$deploys"); do
    if "$root/slipway.sh" deploy web --version "$version" --wait --server "http://127.0.0.1:$api" --state-dir "$dir/state" >>"$dir/deploys.log" 2>&1; then ok=$((ok + 1)); fi
    version=$([ "$version" = 1 ] && echo 2 || echo 1)
  done
  local elapsed=$(( (SECONDS - started) / deploys ))
  stop_load "$strategy"
  printf '%-24s %10s %8s %16s\n' "slipway $strategy" "$requests" "$failed" "${elapsed}s/deploy ($ok/$deploys promoted)"

  if [ "$strategy" = canary ]; then
    # A bad version: half of its requests fail. The shield retries its GET failures on stable.
    start_load "http://127.0.0.1:$port/" bad
    local outcome=promoted
    "$root/slipway.sh" deploy web --version bad-1 --wait --server "http://127.0.0.1:$api" --state-dir "$dir/state" >>"$dir/deploys.log" 2>&1 || outcome="rolled back"
    stop_load bad
    # From the first step that sent the bad version traffic to the rollback, by the daemon's event times.
    local step back
    step=$(grep "rollout-step" "$dir/daemon.log" | tail -1 | cut -d' ' -f1)
    back=$(grep -m1 "rollout-rolled-back" "$dir/daemon.log" | cut -d' ' -f1)
    local seconds
    seconds=$(python3 -c "import sys; t=lambda s: sum(float(x)*m for x,m in zip(s.split(':'),(3600,60,1))); print(f'{t(sys.argv[2])-t(sys.argv[1]):.1f}')" "$step" "${back:-$step}")
    printf '%-24s %10s %8s %16s\n' "slipway bad canary" "$requests" "$failed" "$outcome ${seconds}s after its first traffic; failed GETs $failed_get (POSTs are not shielded)"
  fi
  kill "$daemon"; wait "$daemon" 2>/dev/null || true
}

only=${ONLY:-nginx rolling blue-green canary}
printf '%-24s %10s %8s %16s\n' "switch" "requests" "failed" "duration"
if [[ " $only " == *" nginx "* ]]; then nginx_switch; fi
if [[ " $only " == *" rolling "* ]]; then slipway_strategy rolling "{ strategy: rolling, maxSurge: 1, minReady: 1s }" 0; fi
if [[ " $only " == *" blue-green "* ]]; then slipway_strategy blue-green "{ strategy: blue-green, scaleDownDelay: 3s }" 1; fi
if [[ " $only " == *" canary "* ]]; then slipway_strategy canary "{ strategy: canary, steps: [ {weight: 25, pause: 3s}, {weight: 50, pause: 3s} ], analysis: { interval: 1s, minRequests: 20 } }" 2; fi
