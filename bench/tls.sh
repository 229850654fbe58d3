#!/usr/bin/env bash
# TLS at the edge, Slipway beside nginx: the same certificate (EC P-256), the same origin (../shared/peers), the same
# protocols and AEAD suites. Not a test; run it on a quiet machine. Prints, per case, each one's figure and Slipway's ratio:
#   - new TLS handshakes a second (openssl s_time -new: a full handshake per connection, no request, one client;
#     "real seconds" is whole seconds, so use SECONDS_PER_CASE of 10 or more for this figure)
#   - HTTPS requests a second over 64 keep-alive connections (wrk, HTTP/1.1)
#   - HTTP/2 requests a second over 64 connections, 10 streams each (h2load)
# and sslscan's view of Slipway's listener (protocols, suites), which must list no TLS 1.0/1.1 and no CBC/RC4/3DES suite.
#   bench/tls.sh                 # 3 rounds of 5 s per case
#   ROUNDS=5 SECONDS_PER_CASE=10 bench/tls.sh
#   ENGINE="auto general" bench/tls.sh   # proxy.engine, one `slipway up` each (ports SLIPWAY_TLS_PORT, +1, ...), all
#                                        # in the same alternating rounds as nginx (default auto: the HTTP/1.1 fast path)
#   CASES="https h2" bench/tls.sh        # only these of: handshakes https h2
#   PERF=1 bench/tls.sh          # then, per target, CPU time and context switches per request over HTTPS and h2
#                                # (perf stat over one run each: counts that hold on a busy machine better than rates)
# HTTPS requests are where the engines differ: wrk offers no ALPN, so its connections are HTTP/1.1 and take the fast
# path on auto; handshakes and h2 are the same code on both.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
peers=${PEERS:-$root/../shared/peers}
rounds=${ROUNDS:-3}
secs=${SECONDS_PER_CASE:-5}
# Below the instance ports (15000-22999), as every bench/ default (docs/operations.md, "Ports and environment").
origin=${ORIGIN_PORT:-14101}
nginx_tls=${NGINX_TLS_PORT:-14120}
slipway_tls=${SLIPWAY_TLS_PORT:-14121}
read -r -a engines <<<"${ENGINE:-auto}"
cases=" ${CASES:-handshakes https h2} "
work=$(mktemp -d /tmp/slipway-tls-bench.XXXXXX)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

source "$here/needs.sh"
needs nginx:nginx-light haproxy:haproxy wrk:wrk h2load:nghttp2-client sslscan:sslscan openssl:openssl
ulimit -n 65536 2>/dev/null || true

slipway_pids=()
cleanup() {
  for pid in "${slipway_pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  if [ -f "$work/nginx.pid" ]; then kill "$(cat "$work/nginx.pid")" 2>/dev/null || true; fi
  PEERS_DIR="$work/peers" "$peers/stop.sh" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# The peers' origin, in a directory and on ports of this run's own so a bench beside it is not disturbed.
PEERS_DIR="$work/peers" ORIGIN_PORT=$origin NGINX_PORT=$((origin + 1)) HAPROXY_PORT=$((origin + 2)) CADDY_PORT=$((origin + 3)) "$peers/start.sh" >&2

# The certificate both serve: the one-liner README.md gives.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj /CN=bench.localhost \
  -addext subjectAltName=DNS:bench.localhost -keyout "$work/site.key" -out "$work/site.pem" 2>/dev/null
chmod a+rx "$work"; chmod a+r "$work/site.pem" "$work/site.key" # nginx's workers run as another user

# nginx with the suites Slipway offers (Slipway.Proxy/Tls/TlsPolicy.cs), one worker per core, upstream keep-alive.
cat >"$work/nginx.conf" <<CONF
worker_processes $(nproc);
pid $work/nginx.pid;
error_log $work/nginx.err;
events { worker_connections 8192; }
http { access_log off; keepalive_requests 1000000;
  upstream origin { server 127.0.0.1:$origin; keepalive 128; }
  server { listen 127.0.0.1:$nginx_tls ssl http2;
    ssl_certificate $work/site.pem; ssl_certificate_key $work/site.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;
    location / { proxy_pass http://origin; proxy_http_version 1.1; proxy_set_header Connection "";
                 proxy_set_header Host \$host; proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for; } } }
CONF
nginx -c "$work/nginx.conf"

"$root/slipway.sh" version >/dev/null   # build before anything is timed
targets=("nginx:$nginx_tls")
for i in "${!engines[@]}"; do
  engine=${engines[$i]} port=$((slipway_tls + i))
  # Each engine its own app: the certificate files beside its manifest, its own state directory and port.
  mkdir -p "$work/$engine"
  cp "$work/site.pem" "$work/site.key" "$work/$engine/"
  cat >"$work/$engine/tls.yaml" <<YAML
app: tlsbench-$engine
proxy:
  listen: ["https://127.0.0.1:$port"]
  tls: { certificate: site.pem, key: site.key }
  engine: $engine
services:
  origin:
    upstream: ["127.0.0.1:$origin"]
    routes: [ { path: / } ]
YAML
  # A session of its own, as nginx has once it daemonizes (scheduler autogroups: see bench/proxy.sh).
  setsid "$root/slipway.sh" up "$work/$engine/tls.yaml" --state-dir "$work/$engine/state" --api 127.0.0.1:0 >"$work/$engine/slipway.log" 2>&1 &
  slipway_pids+=($!)
  targets+=("slipway-$engine:$port")
done
for t in "${targets[@]}"; do
  for _ in $(seq 300); do (exec 3<>"/dev/tcp/127.0.0.1/${t#*:}") 2>/dev/null && break; sleep 0.1; done
done
# Slipway routes only once the upstream is ready: wait for a 200 through it.
for t in "${targets[@]:1}"; do
  for _ in $(seq 300); do
    [ "$(curl -sk -o /dev/null -w '%{http_code}' "https://127.0.0.1:${t#*:}/")" = 200 ] && break; sleep 0.1
  done
done
for t in "${targets[@]}"; do
  echo "tls.sh: ${t%%:*}: $(curl -sk --http2 -o /dev/null -w '%{http_version} %{http_code}' "https://127.0.0.1:${t#*:}/")" >&2
done

echo "== sslscan of Slipway's listener" >&2
sslscan --no-colour --no-heartbleed "127.0.0.1:$slipway_tls" 2>&1 | sed -n '/SSL\/TLS Protocols/,/Server Key Exchange Group/p' | grep -v '^$' >"$work/sslscan.txt" || true
cat "$work/sslscan.txt" >&2

handshakes() { # port -> connections a second (wall clock)
  openssl s_time -connect "127.0.0.1:$1" -new -time "$secs" 2>/dev/null \
    | awk '/connections in .* real seconds/ { printf "%.1f", $1 / $4; found = 1 } END { if (!found) print 0 }'
}
# wrk's p99 in milliseconds.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'; }
https_case() { # port -> "rps p99ms"
  local out
  out=$(wrk -t2 -c64 -d"${secs}s" --latency "https://127.0.0.1:$1/" 2>&1 || true)
  echo "$(awk '/Requests\/sec/ { print $2 }' <<<"$out")|$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")"
}
h2_rps() { h2load -c64 -m10 -t2 -D "$secs" "https://127.0.0.1:$1/" 2>&1 | awk '/^finished in/ { gsub(",", "", $4); print $4 }'; }

for t in "${targets[@]}"; do wrk -t2 -c64 -d"${WARMUP:-5s}" "https://127.0.0.1:${t#*:}/" >/dev/null 2>&1 || true; done
# Each round starts one target later, so no one always runs first (or right after the same neighbour).
count=${#targets[@]}
for r in $(seq "$rounds"); do
  for i in $(seq 0 $((count - 1))); do
    t=${targets[$(( (i + r) % count ))]}
    if [[ $cases == *" handshakes "* ]]; then
      echo "handshakes/s|${t%%:*}|$(handshakes "${t#*:}")" >>"$work/results"
    fi
    if [[ $cases == *" https "* ]]; then
      https=$(https_case "${t#*:}")
      echo "https req/s 64c|${t%%:*}|${https%%|*}" >>"$work/results"
      echo "https p99 ms 64c|${t%%:*}|${https#*|}" >>"$work/results"
    fi
    if [[ $cases == *" h2 "* ]]; then
      echo "h2 req/s 64c x10|${t%%:*}|$(h2_rps "${t#*:}")" >>"$work/results"
    fi
  done
  echo "tls.sh: round $r of $rounds done" >&2
done

echo "== every round (case|target|figure)" >&2
cat "$work/results" >&2

if [ "${PERF:-0}" = 1 ]; then
  needs perf:linux-perf
  echo "== per request, one ${secs}s run each (perf stat; the whole server: nginx's workers, Slipway's process)" >&2
  printf "%-8s %-16s %12s %18s\n" case target "CPU us/req" "ctx switches/req" >&2
  for c in https h2; do
    [[ $cases == *" $c "* ]] || continue
    for i in "${!targets[@]}"; do
      t=${targets[$i]}
      if [ "$i" -eq 0 ]; then
        pids=$(cat "$work/nginx.pid"),$(pgrep -d, -P "$(cat "$work/nginx.pid")")
      else
        pids=${slipway_pids[$((i - 1))]}
      fi
      perf stat -x, -e task-clock,context-switches -p "$pids" -o "$work/perf.txt" -- sleep "$secs" &
      perf_pid=$!
      if [ "$c" = https ]; then
        requests=$(wrk -t2 -c64 -d"${secs}s" "https://127.0.0.1:${t#*:}/" 2>&1 | awk '/requests in/ { print $1 }')
      else
        requests=$(h2load -c64 -m10 -t2 -D "$secs" "https://127.0.0.1:${t#*:}/" 2>&1 | awk '/^requests:/ { print $8 }')
      fi
      wait "$perf_pid"
      awk -F, -v n="${requests:-0}" -v c="$c" -v t="${t%%:*}" '$3 ~ /^task-clock/ { ms = $1 } $3 == "context-switches" { cs = $1 }
        END { if (n > 0) printf "%-8s %-16s %12.1f %18.2f\n", c, t, ms * 1000 / n, cs / n }' "$work/perf.txt" >&2
    done
  done
fi

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
# One line per case and Slipway engine: nginx's median, Slipway's, and Slipway's ratio to nginx (for p99, above 1 is worse).
printf "%-18s %-16s %12s %12s %8s\n" case engine nginx slipway ratio
for c in "handshakes/s" "https req/s 64c" "https p99 ms 64c" "h2 req/s 64c x10"; do
  grep -q "^$c|" "$work/results" || continue
  n=$(awk -F'|' -v c="$c" '$1 == c && $2 == "nginx" { print $3 }' "$work/results" | median)
  for t in "${targets[@]:1}"; do
    s=$(awk -F'|' -v c="$c" -v l="${t%%:*}" '$1 == c && $2 == l { print $3 }' "$work/results" | median)
    printf "%-18s %-16s %12s %12s %8s\n" "$c" "${t%%:*}" "$n" "$s" "$(awk -v n="$n" -v s="$s" 'BEGIN { if (n > 0) printf "%.2f", s / n; else print "-" }')"
  done
done
