#!/usr/bin/env bash
# Benchmarks Slipway's static site serving beside nginx serving the same directory on this machine: the same
# wrk load against each in alternating rounds, medians reported with Slipway's ratio. Not a test.
#   bench/static.sh                      # 3 rounds of 5 s per case
#   ROUNDS=5 DURATION=10s bench/static.sh
#
# Cases (64 connections, keep-alive): a small page (index.html, 1 KB), a 100 KB fingerprinted asset, and a
# client-side route answered by the SPA fallback (index.html for /settings/profile, Accept: text/html).
# nginx is configured as its documentation recommends for static files (sendfile, tcp_nopush,
# open_file_cache, one worker per core) with `try_files $uri $uri/ /index.html` for the SPA; Slipway is
# `slipway up` with a `static: { root, spa: true }` service.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
rounds=${ROUNDS:-3}
duration=${DURATION:-5s}
# Below the instance ports (15000-22999), as every bench/ default (docs/operations.md, "Ports and environment").
nginx_port=${NGINX_STATIC_PORT:-14020}
slipway_port=${SLIPWAY_STATIC_PORT:-14021}
work=$(mktemp -d /tmp/slipway-bench-static.XXXXXX)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

source "$here/needs.sh"
needs nginx:nginx-light wrk:wrk curl:curl
ulimit -n 65536 2>/dev/null || true

slipway_pid=
cleanup() {
  if [ -n "$slipway_pid" ]; then kill "$slipway_pid" 2>/dev/null || true; wait "$slipway_pid" 2>/dev/null || true; fi
  if [ -f "$work/nginx.pid" ]; then kill "$(cat "$work/nginx.pid")" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The site: one directory both serve, readable by nginx's workers (another user).
site="$work/dist/1"
mkdir -p "$site/assets"
{ printf '<!doctype html><html><head><meta charset="utf-8"><title>bench</title>'
  printf '<script type="module" src="/assets/app.3f9a2c1b.js"></script></head><body><div id="root"></div>'
  head -c 800 /dev/zero | tr '\0' ' '; printf '</body></html>\n'; } >"$site/index.html"
head -c $((75 * 1024)) /dev/urandom | base64 -w 0 >"$site/assets/app.3f9a2c1b.js" # 100 KB of text
chmod -R a+rX "$work"

cat >"$work/nginx.conf" <<CONF
worker_processes $(nproc);
pid $work/nginx.pid;
error_log $work/nginx.err;
events { worker_connections 8192; }
http { access_log off; keepalive_requests 1000000;
  include /etc/nginx/mime.types;
  sendfile on; tcp_nopush on;
  open_file_cache max=1000 inactive=60s; open_file_cache_valid 60s;
  server { listen 127.0.0.1:$nginx_port; root $site;
    location / { try_files \$uri \$uri/ /index.html; } } }
CONF
nginx -c "$work/nginx.conf"

cat >"$work/static.yaml" <<YAML
app: bench
proxy: { listen: ["http://127.0.0.1:$slipway_port"] }
services:
  web:
    version: "1"
    static: { root: "dist/\${VERSION}", spa: true }
    routes: [ { path: / } ]
YAML
"$root/slipway.sh" version >/dev/null   # build before anything is timed
# A session of its own, as nginx has once it daemonizes (scheduler autogroups: see bench/proxy.sh).
setsid "$root/slipway.sh" up "$work/static.yaml" --state-dir "$work/state" >"$work/slipway.log" 2>&1 &
slipway_pid=$!
targets=("nginx:$nginx_port" "slipway:$slipway_port")
for t in "${targets[@]}"; do
  ok=
  for _ in $(seq 300); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${t#*:}/index.html" || true)" = 200 ] && { ok=1; break; }
    sleep 0.1
  done
  [ -n "$ok" ] || { echo "static.sh: ${t%%:*} does not serve the site; see $work" >&2; cat "$work/slipway.log" >&2; exit 1; }
done

# Proof that both answer each case alike before any number is taken: status, length, and the SPA page.
for t in "${targets[@]}"; do
  for path in /index.html /assets/app.3f9a2c1b.js /settings/profile; do
    echo "static.sh: ${t%%:*} $path: $(curl -s -o /dev/null -w '%{http_code} %{size_download} B' -H 'Accept: text/html' "http://127.0.0.1:${t#*:}$path")" >&2
  done
done

cases=("small /index.html" "100KB /assets/app.3f9a2c1b.js" "spa /settings/profile")

# wrk's p99 in milliseconds.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'; }

run() { # path port -> "rps p99ms"
  local out
  out=$(wrk -t2 -c64 -d"$duration" --latency -H 'Accept: text/html' "http://127.0.0.1:$2$1" 2>&1 || true)
  echo "$(awk '/Requests\/sec/ { print $2 }' <<<"$out") $(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")"
}

# Warm both first: for Slipway the JIT reaches optimised code only after a few seconds of load.
for t in "${targets[@]}"; do
  for c in "${cases[@]}"; do wrk -t2 -c64 -d"${WARMUP:-3s}" -H 'Accept: text/html' "http://127.0.0.1:${t#*:}${c#* }" >/dev/null 2>&1 || true; done
done

for r in $(seq "$rounds"); do
  for c in "${cases[@]}"; do
    read -r name path <<<"$c"
    for i in 0 1; do
      t=${targets[$(( (i + r) % 2 ))]} # alternate who goes first
      echo "$name|${t%%:*}|$(run "$path" "${t#*:}")" >>"$work/results"
    done
  done
  echo "static.sh: round $r of $rounds done" >&2
done

peak_kb=$(awk '/VmHWM/ { print $2 }' "/proc/$slipway_pid/status" 2>/dev/null || echo 0)
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
value() { awk -F'|' -v c="$1" -v n="$2" -v k="$3" '$1 == c && $2 == n { split($3, v, " "); print v[k] }' "$work/results" | median; }
printf "%-8s %-8s %12s %10s\n" case target "req/s" "p99 ms"
for c in "${cases[@]}"; do
  read -r name _ <<<"$c"
  for t in nginx slipway; do printf "%-8s %-8s %12.0f %10.2f\n" "$name" "$t" "$(value "$name" "$t" 1)" "$(value "$name" "$t" 2)"; done
  awk -v c="$name" -v s="$(value "$name" slipway 1)" -v n="$(value "$name" nginx 1)" -v sp="$(value "$name" slipway 2)" -v np="$(value "$name" nginx 2)" \
    'BEGIN { printf "%-8s slipway/nginx: %.2fx req/s, p99 %.2fx\n", c, (n > 0 ? s / n : 0), (np > 0 ? sp / np : 0) }'
done
echo "slipway peak RSS: $((peak_kb / 1024)) MB"
