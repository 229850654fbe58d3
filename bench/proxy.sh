#!/usr/bin/env bash
# Benchmarks Slipway's proxy beside nginx, HAProxy (and Caddy when installed) on this machine:
# the same wrk load against each in alternating rounds, medians reported. Not a test.
#   bench/proxy.sh                      # 3 rounds of 5 s per case
#   ROUNDS=5 DURATION=10s bench/proxy.sh
#   POLICIES=0 bench/proxy.sh           # without the edge-policies case (see below)
#   YARP=1 bench/proxy.sh               # also YARP's IHttpForwarder alone (bench/YarpHost), compared apart
#   ENGINE=general bench/proxy.sh       # proxy.engine (default auto: the HTTP/1.1 fast path); with BENCH_HOST=bare too
#   BENCH_HOST=bare INLINE=1 bench/proxy.sh   # the bare host with Kestrel's inline scheduling (ProxyServerOptions.InlineScheduling)
#   PERF=1 bench/proxy.sh               # also context switches, syscalls and CPU time per request of Slipway (perf stat; alt's too), in runs of their own
#   BENCH_HOST=bare HOST_ARGS=--inline  # bench/ProxyHost alone, with its flags
#   BENCH_HOST=bare ALT_ARGS=--inline   # also a second bare host with these flags ("alt"), compared apart
#   BENCH_HOST=bare ALT_ARGS=--socket-receives   # e.g. .NET's socket receives beside the readiness engine
#
# The edge-policies case: a 10 KB JSON answer through the shop's edge policies (headers: secure,
# compression, a route rate limit that is never reached, the WAF in block mode), gzip-accepting
# client, against Slipway without them on the same route, and nginx with the same (add_header, gzip
# on at level 1, limit_req) but no WAF: nginx has none built in (ModSecurity is a separate module),
# so Slipway's side pays for one nginx's does not. Both proxies front the bench's own JSON origin.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
peers=${PEERS:-$root/../shared/peers}
rounds=${ROUNDS:-3}
duration=${DURATION:-5s}
# Default ports lie in 14000-14999, below the daemon's instance ports (15000-22999) and the tests' FreePort range
# (23000-32767), so neither hands one of them out while a bench runs (docs/operations.md, "Ports and environment").
origin=${ORIGIN_PORT:-14001}
nginx_port=${NGINX_PORT:-14002}
haproxy_port=${HAPROXY_PORT:-14003}
caddy_port=${CADDY_PORT:-14004}
slipway_port=${SLIPWAY_PORT:-14010}
policies=${POLICIES:-1}
engine=${ENGINE:-auto}
json_origin=${JSON_ORIGIN_PORT:-14005}
nginx_policies_port=${NGINX_POLICIES_PORT:-14006}
slipway_policies_port=${SLIPWAY_POLICIES_PORT:-14011}
work=$(mktemp -d /tmp/slipway-bench.XXXXXX)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

source "$here/needs.sh"
needs nginx:nginx-light haproxy:haproxy wrk:wrk
ulimit -n 65536 2>/dev/null || true

slipway_pid=
policies_pid=
yarp_pid=
alt_pid=
cleanup() {
  if [ -n "$alt_pid" ]; then kill "$alt_pid" 2>/dev/null || true; wait "$alt_pid" 2>/dev/null || true; fi
  if [ -n "$slipway_pid" ]; then kill "$slipway_pid" 2>/dev/null || true; wait "$slipway_pid" 2>/dev/null || true; fi
  if [ -n "$policies_pid" ]; then kill "$policies_pid" 2>/dev/null || true; wait "$policies_pid" 2>/dev/null || true; fi
  if [ -n "$yarp_pid" ]; then kill "$yarp_pid" 2>/dev/null || true; wait "$yarp_pid" 2>/dev/null || true; fi
  if [ -f "$work/policies-nginx.pid" ]; then kill "$(cat "$work/policies-nginx.pid")" 2>/dev/null || true; fi
  "$peers/stop.sh" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# The peers get this bench's ports, not their own defaults (19001-19004, inside the instance range).
ORIGIN_PORT=$origin NGINX_PORT=$nginx_port HAPROXY_PORT=$haproxy_port CADDY_PORT=$caddy_port "$peers/start.sh" >&2
targets=("nginx:$nginx_port" "haproxy:$haproxy_port")
if command -v caddy >/dev/null; then targets+=("caddy:$caddy_port"); fi

# Slipway itself: `slipway up` with an upstream service pointing at the peers' origin.
# BENCH_HOST=bare runs the proxy alone from bench/ProxyHost instead, which also reports
# bytes allocated per request (for profiling the request path); add ALLOC_PROFILE=1 for the
# types that allocate most (GC allocation ticks, sampled in process).
if [ "${BENCH_HOST:-up}" = bare ]; then
  policies=0 # the policies case needs `slipway up`'s manifest
  dotnet build "$here/ProxyHost/Slipway.Bench.ProxyHost.csproj" -c Release -o "$work/host" --nologo -v quiet -clp:ErrorsOnly >"$work/build.log" || { cat "$work/build.log" >&2; exit 1; }
  slipway_cmd=(dotnet "$work/host/Slipway.Bench.ProxyHost.dll" --listen "http://127.0.0.1:$slipway_port" --upstream "127.0.0.1:$origin")
  if [ -n "${ALLOC_PROFILE:-}" ]; then slipway_cmd+=(--alloc-profile); fi
  if [ "${INLINE:-0}" = 1 ]; then slipway_cmd+=(--inline); fi
  if [ "$engine" = general ]; then slipway_cmd+=(--engine general); fi
  if [ -n "${HOST_ARGS:-}" ]; then read -r -a host_args <<<"$HOST_ARGS"; slipway_cmd+=("${host_args[@]}"); fi
else
  cat >"$work/proxy.yaml" <<YAML
app: bench
proxy: { listen: ["http://127.0.0.1:$slipway_port"], engine: $engine }
services:
  origin:
    upstream: ["127.0.0.1:$origin"]
    routes: [ { path: / } ]
  json:
    upstream: ["127.0.0.1:$json_origin"]
    routes: [ { host: json.bench, path: / } ]
YAML
  "$root/slipway.sh" version >/dev/null   # build before anything is timed
  slipway_cmd=("$root/slipway.sh" up "$work/proxy.yaml" --state-dir "$work/state")
fi
# `slipway` sets its own runtime tuning (inline socket completions); the bare host is given the same.
if [ "${BENCH_HOST:-up}" = bare ]; then export DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1; fi
# Every proxy runs in a session of its own, as nginx and HAProxy do once they daemonize: with the kernel's scheduler
# autogroups (kernel.sched_autogroup_enabled=1, the default on Debian), CPU time is shared out per session first, so a
# proxy left in this script's session would share one session's share with wrk while the peers each have their own
# (measured: 0.81-0.93x the rate of the same build started in its own session, at every case). `setsid` execs in
# place here (a background child leads no process group), so $! is the proxy's pid.
setsid "${slipway_cmd[@]}" >"$work/slipway.log" 2>&1 &
slipway_pid=$!
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$slipway_port") 2>/dev/null && break; sleep 0.1; done
targets+=("slipway:$slipway_port")

# ALT_ARGS (with BENCH_HOST=bare): a second bare host with other flags, as one more target reported as alt/best peer
# and alt/slipway, never counted as a peer: two transports or settings in the same alternating rounds.
if [ -n "${ALT_ARGS:-}" ]; then
  [ "${BENCH_HOST:-up}" = bare ] || { echo "ALT_ARGS needs BENCH_HOST=bare" >&2; exit 1; }
  alt_port=${ALT_PORT:-14013}
  read -r -a alt_args <<<"$ALT_ARGS"
  setsid dotnet "$work/host/Slipway.Bench.ProxyHost.dll" --listen "http://127.0.0.1:$alt_port" --upstream "127.0.0.1:$origin" "${alt_args[@]}" >"$work/alt.log" 2>&1 &
  alt_pid=$!
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$alt_port") 2>/dev/null && break; sleep 0.1; done
  targets+=("alt:$alt_port")
fi

# YARP=1: YARP's direct forwarding (IHttpForwarder, bench/YarpHost) with the same runtime tuning, as one more
# target. It is reported as slipway/yarp on its own line and never counts as the best peer.
if [ "${YARP:-0}" = 1 ]; then
  yarp_port=${YARP_PORT:-14012}
  dotnet build "$here/YarpHost/Slipway.Bench.YarpHost.csproj" -c Release -o "$work/yarp" --nologo -v quiet -clp:ErrorsOnly >"$work/yarp-build.log" || { cat "$work/yarp-build.log" >&2; exit 1; }
  DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 setsid dotnet "$work/yarp/Slipway.Bench.YarpHost.dll" --listen "127.0.0.1:$yarp_port" --upstream "127.0.0.1:$origin" >"$work/yarp.log" 2>&1 &
  yarp_pid=$!
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$yarp_port") 2>/dev/null && break; sleep 0.1; done
  targets+=("yarp:$yarp_port")
fi

# The edge-policies case: a JSON origin, nginx with the policies, and a second Slipway with them.
if [ "$policies" = 1 ]; then
  mkdir -p "$work/www"
  chmod a+rx "$work" "$work/www" # nginx's workers run as another user
  { printf '['; for i in $(seq 0 139); do [ "$i" -gt 0 ] && printf ','; printf '{"id":%d,"sku":"SKU-%06d","name":"Product %d","price":%d.99,"stock":%d,"tags":["shop","sale"]}' "$i" $((i * 7919 % 1000000)) "$i" $((i % 200)) $((i * 13 % 500)); done; printf ']'; } >"$work/www/api.json"
  chmod a+r "$work/www/api.json"
  cat >"$work/policies-nginx.conf" <<CONF
worker_processes $(nproc);
pid $work/policies-nginx.pid;
error_log $work/policies-nginx.err;
events { worker_connections 8192; }
http { access_log off; keepalive_requests 1000000;
  server { listen 127.0.0.1:$json_origin; location / { root $work/www; default_type application/json; } }
  upstream json { server 127.0.0.1:$json_origin; keepalive 128; }
  limit_req_zone \$binary_remote_addr zone=api:10m rate=100000r/s;
  server { listen 127.0.0.1:$nginx_policies_port;
    gzip on; gzip_comp_level 1; gzip_min_length 1024; gzip_types application/json; gzip_proxied any; gzip_vary on;
    add_header X-Content-Type-Options nosniff always;
    add_header X-Frame-Options DENY always;
    add_header Referrer-Policy strict-origin-when-cross-origin always;
    location / { limit_req zone=api burst=100000 nodelay;
                 proxy_pass http://json; proxy_http_version 1.1; proxy_set_header Connection "";
                 proxy_set_header Host \$host; proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for; } } }
CONF
  nginx -c "$work/policies-nginx.conf"
  sed -e "s/:$slipway_port/:$slipway_policies_port/" -e "s/^proxy: {/proxy: { headers: secure, compression: { minBytes: 1KB },/" \
    -e "s|routes: \[ { host: json.bench, path: / } \]|routes: [ { host: json.bench, path: /, rateLimit: { rate: 100000/s, burst: 100000 }, waf: { mode: block } } ]|" \
    "$work/proxy.yaml" >"$work/policies.yaml"
  setsid "$root/slipway.sh" up "$work/policies.yaml" --state-dir "$work/policies-state" --api 127.0.0.1:0 >"$work/policies.log" 2>&1 &
  policies_pid=$!
  for p in "$json_origin" "$nginx_policies_port" "$slipway_policies_port"; do
    for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && break; sleep 0.1; done
  done
  # The WAF must be on before anything is measured: an injection gets 403 (once the route is published).
  for _ in $(seq 50); do
    waf_status=$(curl -s -o /dev/null -w '%{http_code}' -H "Host: json.bench" "http://127.0.0.1:$slipway_policies_port/api.json?id=1%27%20or%20%271%27%3D%271" || true)
    [ "$waf_status" = 403 ] && break
    sleep 0.2
  done
  [ "$waf_status" = 403 ] || { echo "the policies case's WAF did not block an injection (got $waf_status); see $work/policies.log" >&2; exit 1; }
fi

# "post" is a 1 KB POST body (Content-Length) to / answered with the same 19 B: the request-body side of each proxy.
cases=("64 /" "64 /kb/1" "64 /kb/10" "64 /kb/100" "1000 /" "64 post")
label() { case "$2" in /) echo "$1c 19B";; /kb/*) echo "$1c ${2#/kb/}KB";; post) echo "$1c POST1KB";; esac; }
cat >"$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = string.rep("x", 1024)
wrk.headers["Content-Type"] = "application/octet-stream"
LUA

# wrk's p99 in milliseconds.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'; }

# PERF=1: the process serving Slipway's port (slipway.sh's child, or the bare host), counted by perf stat while wrk runs,
# in runs of their own after the rounds: perf stat attached to one target slows it (its system-call tracepoint fires on
# every call: 5-11 % of the rate measured at 64c 19 B), so the rounds that give req/s and p99 run with no perf at all.
slipway_proc=
if [ "${PERF:-0}" = 1 ]; then
  needs perf:linux-perf
  slipway_proc=$(ss -Hltnp "sport = :$slipway_port" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
fi
run() { # conns path port [counted] -> "rps p99ms"; counted: perf stat on Slipway's (or alt's) process meanwhile
  local out perf_pid= perf_out= stat0 stat1
  if [ "${4:-}" != counted ]; then :
  elif [ -n "$slipway_proc" ] && [ "$3" = "$slipway_port" ]; then perf_out=perf-results
  elif [ -n "$slipway_proc" ] && [ -n "$alt_pid" ] && [ "$3" = "$alt_port" ]; then perf_out=perf-results-alt; fi
  if [ -n "$perf_out" ]; then
    perf stat -x, -e context-switches,task-clock,raw_syscalls:sys_enter -p "$([ "$perf_out" = perf-results ] && echo "$slipway_proc" || echo "$alt_pid")" -o "$work/perf.txt" -- sleep "${duration%s}" &
    perf_pid=$!
    stat0=$(head -1 /proc/stat)
  fi
  if [ "$2" = post ]; then
    out=$(wrk -t2 -c"$1" -d"$duration" --latency -s "$work/post.lua" "http://127.0.0.1:$3/" 2>&1 || true)
  else
    out=$(wrk -t2 -c"$1" -d"$duration" --latency "http://127.0.0.1:$3$2" 2>&1 || true)
  fi
  local rps p99
  rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
  if [ -n "$perf_pid" ]; then
    wait "$perf_pid" || true
    stat1=$(head -1 /proc/stat)
    # The machine's steal time over the run, in percent (a VM's neighbours take it).
    steal=$(awk -v a="$stat0" -v b="$stat1" 'BEGIN { split(a, x); split(b, y); for (i = 2; i <= 9; i++) t += y[i] - x[i]; printf "%.0f", (t > 0 ? 100 * (y[9] - x[9]) / t : 0) }')
    awk -F, -v n="$(awk '/requests in/ { print $1 }' <<<"$out")" -v l="$(label "$1" "$2")" -v st="$steal" \
      '$3 == "context-switches" { c = $1 } $3 == "task-clock" { t = $1 } $3 == "raw_syscalls:sys_enter" { s = $1 }
       END { if (n > 0) printf "%s|%.2f %.2f %.1f %s\n", l, c / n, s / n, t * 1000 / n, st }' "$work/perf.txt" >>"$work/$perf_out"
  fi
  echo "${rps:-0} $(to_ms "${p99:-0ms}")"
}

# Warm every target before measuring: connection pools, and for Slipway the JIT, whose tiered
# compilation reaches optimised code only after a few seconds of load. Every case's path, not only the first:
# the relay of 1-100 KB bodies, 1,000 connections and request bodies run code the 19 B case never calls, and code
# tiered up while measured costs that round its tail (compiling beside the serving threads, and the runtime's pauses
# of every thread to retire its call-counting stubs).
for t in "${targets[@]}"; do
  wrk -t2 -c64 -d"${WARMUP:-5s}" "http://127.0.0.1:${t#*:}/" >/dev/null 2>&1 || true
  for p in /kb/1 /kb/10 /kb/100; do wrk -t2 -c64 -d"${WARMUP_EACH:-2s}" "http://127.0.0.1:${t#*:}$p" >/dev/null 2>&1 || true; done
  wrk -t2 -c1000 -d"${WARMUP_EACH:-2s}" "http://127.0.0.1:${t#*:}/" >/dev/null 2>&1 || true
  wrk -t2 -c64 -d"${WARMUP_EACH:-2s}" -s "$work/post.lua" "http://127.0.0.1:${t#*:}/" >/dev/null 2>&1 || true
done
policy_targets=("slipway-plain:$slipway_port" "slipway-policies:$slipway_policies_port" "nginx-policies:$nginx_policies_port")
json() { # port -> "rps p99ms", 64 connections, gzip accepted
  local out
  out=$(wrk -t2 -c64 -d"$duration" --latency -H "Host: json.bench" -H "Accept-Encoding: gzip" "http://127.0.0.1:$1/api.json" 2>&1 || true)
  echo "$(awk '/Requests\/sec/ { print $2 }' <<<"$out") $(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")"
}
if [ "$policies" = 1 ]; then
  for t in "${policy_targets[@]}"; do wrk -t2 -c64 -d"${WARMUP:-5s}" -H "Host: json.bench" -H "Accept-Encoding: gzip" "http://127.0.0.1:${t#*:}/api.json" >/dev/null 2>&1 || true; done
  # Proof that each target does what the case claims, before any number is taken.
  for t in "${policy_targets[@]}"; do
    echo "proxy.sh: ${t%%:*}: $(curl -s -o /dev/null -D - -H 'Host: json.bench' -H 'Accept-Encoding: gzip' "http://127.0.0.1:${t#*:}/api.json" | tr -d '\r' | grep -iE '^(HTTP|content-encoding|x-frame-options|vary)' | tr '\n' ' ')" >&2
  done
fi
# The bare host then also reports bytes/request for the measured rounds alone (no start-up, no JIT warm-up).
if [ "${BENCH_HOST:-up}" = bare ]; then kill -HUP "$slipway_pid"; fi
if [ -n "$alt_pid" ]; then kill -HUP "$alt_pid"; fi

for r in $(seq "$rounds"); do
  # Rotate the order each round so no target always runs first or last.
  n=${#targets[@]}
  for c in "${cases[@]}"; do
    read -r conns path <<<"$c"
    for i in $(seq 0 $((n - 1))); do
      t=${targets[$(( (i + r) % n ))]}
      echo "$(label "$conns" "$path")|${t%%:*}|$(run "$conns" "$path" "${t#*:}")" >>"$work/results"
    done
  done
  if [ "$policies" = 1 ]; then
    for i in 0 1 2; do
      t=${policy_targets[$(( (i + r) % 3 ))]}
      echo "${t%%:*}|$(json "${t#*:}")" >>"$work/policy-results"
    done
  fi
  echo "proxy.sh: round $r of $rounds done" >&2
done
# PERF=1: the counters, in one more run per case of Slipway (and alt), not part of the rates above.
if [ -n "$slipway_proc" ]; then
  for c in "${cases[@]}"; do
    read -r conns path <<<"$c"
    run "$conns" "$path" "$slipway_port" counted >/dev/null
    if [ -n "$alt_pid" ]; then run "$conns" "$path" "$alt_port" counted >/dev/null; fi
  done
  echo "proxy.sh: counted runs done" >&2
fi

peak_kb=$(awk '/VmHWM/ { print $2 }' "/proc/$slipway_pid/status")
kill "$slipway_pid" 2>/dev/null || true
wait "$slipway_pid" 2>/dev/null || true
slipway_pid=

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
printf "%-12s %-8s %12s %10s\n" case target "req/s" "p99 ms"
for c in "${cases[@]}"; do
  read -r conns path <<<"$c"
  l=$(label "$conns" "$path")
  best_rps=0; best_p99=0; best=
  for t in "${targets[@]}"; do
    name=${t%%:*}
    rps=$(awk -F'|' -v l="$l" -v n="$name" '$1 == l && $2 == n { split($3, v, " "); print v[1] }' "$work/results" | median)
    p99=$(awk -F'|' -v l="$l" -v n="$name" '$1 == l && $2 == n { split($3, v, " "); print v[2] }' "$work/results" | median)
    printf "%-12s %-8s %12.0f %10.2f\n" "$l" "$name" "$rps" "$p99"
    if [ "$name" = slipway ]; then s_rps=$rps; s_p99=$p99
    elif [ "$name" = yarp ]; then y_rps=$rps; y_p99=$p99
    elif [ "$name" = alt ]; then a_rps=$rps; a_p99=$p99
    elif awk -v a="$rps" -v b="$best_rps" 'BEGIN { exit !(a > b) }'; then best_rps=$rps; best_p99=$p99; best=$name; fi
  done
  awk -v l="$l" -v s="$s_rps" -v b="$best_rps" -v sp="$s_p99" -v bp="$best_p99" -v n="$best" \
    'BEGIN { printf "%-12s slipway/%s: %.2fx req/s, p99 %.2fx\n", l, n, s / b, (bp > 0 ? sp / bp : 0) }'
  if [ -n "$alt_pid" ]; then
    awk -v l="$l" -v a="$a_rps" -v b="$best_rps" -v s="$s_rps" -v ap="$a_p99" -v bp="$best_p99" -v sp="$s_p99" -v n="$best" \
      'BEGIN { printf "%-12s alt/%s: %.2fx req/s, p99 %.2fx; alt/slipway: %.2fx req/s, p99 %.2fx\n", l, n, a / b, (bp > 0 ? ap / bp : 0), (s > 0 ? a / s : 0), (sp > 0 ? ap / sp : 0) }'
  fi
  if [ -n "$yarp_pid" ]; then
    awk -v l="$l" -v s="$s_rps" -v y="$y_rps" -v sp="$s_p99" -v yp="$y_p99" \
      'BEGIN { printf "%-12s slipway/yarp: %.2fx req/s, p99 %.2fx\n", l, (y > 0 ? s / y : 0), (yp > 0 ? sp / yp : 0) }'
  fi
done
echo "slipway peak RSS: $((peak_kb / 1024)) MB"
# The peers' peak RSS beside it: a process and its children (nginx's master and workers), from start.sh's pid files.
peer_rss_mb() {
  local pid kb=0 v p
  pid=$(cat "${PEERS_DIR:-/tmp/slipway-peers}/$1.pid" 2>/dev/null) || { echo "?"; return; }
  for p in $pid $(pgrep -P "$pid"); do
    v=$(awk '/VmHWM/ { print $2 }' "/proc/$p/status" 2>/dev/null); kb=$((kb + ${v:-0}))
  done
  echo $((kb / 1024))
}
echo "peers peak RSS: nginx $(peer_rss_mb nginx) MB (master and workers), haproxy $(peer_rss_mb haproxy) MB"
for f in perf-results perf-results-alt; do
  [ -s "$work/$f" ] || continue
  echo "$([ "$f" = perf-results ] && echo slipway || echo alt) per request (perf stat, a run of its own per case after the rounds; a busy machine inflates context switches and CPU time):"
  for c in "${cases[@]}"; do
    read -r conns path <<<"$c"
    l=$(label "$conns" "$path")
    col() { awk -F'|' -v l="$l" -v i="$1" '$1 == l { split($2, v, " "); print v[i] }' "$work/$f" | median; }
    printf "%-12s context switches %s, syscalls %s, CPU %s us, steal %s %%\n" "$l" "$(col 1)" "$(col 2)" "$(col 3)" "$(col 4)"
  done
done
if [ -n "$yarp_pid" ]; then
  echo "yarp peak RSS: $(($(awk '/VmHWM/ { print $2 }' "/proc/$yarp_pid/status") / 1024)) MB"
  kill "$yarp_pid" 2>/dev/null || true; wait "$yarp_pid" 2>/dev/null || true; yarp_pid=
  grep 'B/request' "$work/yarp.log" || true
fi
if [ "$policies" = 1 ]; then
  echo
  printf "%-30s %12s %10s\n" "64c 10KB JSON, gzip" "req/s" "p99 ms"
  for t in "${policy_targets[@]}"; do
    name=${t%%:*}
    rps=$(awk -F'|' -v n="$name" '$1 == n { split($2, v, " "); print v[1] }' "$work/policy-results" | median)
    p99=$(awk -F'|' -v n="$name" '$1 == n { split($2, v, " "); print v[2] }' "$work/policy-results" | median)
    printf "%-30s %12.0f %10.2f\n" "$name" "$rps" "$p99"
    eval "rps_${name//-/_}=$rps p99_${name//-/_}=$p99"
  done
  awk -v a="$rps_slipway_policies" -v b="$rps_slipway_plain" -v ap="$p99_slipway_policies" -v bp="$p99_slipway_plain" \
    'BEGIN { printf "policies cost: %.2fx req/s, p99 %.2fx (Slipway with the policies / without)\n", a / b, (bp > 0 ? ap / bp : 0) }'
  awk -v a="$rps_slipway_policies" -v b="$rps_nginx_policies" -v ap="$p99_slipway_policies" -v bp="$p99_nginx_policies" \
    'BEGIN { printf "slipway/nginx with the policies: %.2fx req/s, p99 %.2fx\n", a / b, (bp > 0 ? ap / bp : 0) }'
  echo "(slipway-policies includes the WAF in block mode; nginx-policies has no WAF: nginx has none built in)"
fi
grep -h "proxy-host: [0-9a]\|B/request" "$work/slipway.log" || true
if [ -n "$alt_pid" ]; then
  echo "alt peak RSS: $(($(awk '/VmHWM/ { print $2 }' "/proc/$alt_pid/status") / 1024)) MB"
  kill "$alt_pid" 2>/dev/null || true; wait "$alt_pid" 2>/dev/null || true; alt_pid=
  sed 's/^proxy-host:/alt-host:/' "$work/alt.log" | grep -h "alt-host: [0-9a]\|B/request" || true
fi
