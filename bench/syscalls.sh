#!/usr/bin/env bash
# What one proxy's answers cost in system calls, per request, split by socket side: every socket call of the process
# (or nginx's workers) recorded under wrk with `perf record` on the syscall tracepoints (not strace, which slows every
# party), then counted: reads and writes on the client's and the backend's sockets by size, the reads that found
# nothing (EAGAIN), and the sleeps and wake-ups (futex, epoll_wait).
#   bench/syscalls.sh PORT PIDS [connections=64] [path=/] [seconds=3]    # PIDS comma-separated
# GET only: a client socket is one that a read of under 100 bytes came from (wrk's request is ~45 B, every answer
# is larger), and the requests are counted as those reads (wrk sends one request per answer received).
# Recording costs the process time, so the rate it prints is lower than without; the counts per request are what
# it is for (a response that arrives in two reads, a head sent alone, one EAGAIN per receive).
set -euo pipefail
port=$1; pids=$2; conns=${3:-64}; path=${4:-/}; secs=${5:-3}
command -v perf >/dev/null || { echo "syscalls.sh: perf is not installed (apt-get install -y linux-perf)" >&2; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
calls=recvfrom,sendto,readv,writev,read,write,recvmsg,sendmsg
events=$(for c in ${calls//,/ }; do printf 'syscalls:sys_enter_%s,syscalls:sys_exit_%s,' "$c" "$c"; done)
events+=syscalls:sys_enter_futex,syscalls:sys_enter_epoll_wait,syscalls:sys_exit_epoll_wait
wrk -t2 -c"$conns" -d$((secs + 2))s "http://127.0.0.1:$port$path" >"$work/wrk.txt" 2>&1 &
wrk_pid=$!
sleep 1
perf record -q -o "$work/perf.data" -e "$events" -p "$pids" -- sleep "$secs" >/dev/null 2>&1
wait "$wrk_pid" || true
echo "syscalls.sh: :$port $path, $conns connections, $(awk '/Requests\/sec/ { print $2 }' "$work/wrk.txt") req/s while recorded"
perf script -i "$work/perf.data" -F pid,tid,event,trace 2>/dev/null | awk '
  function hex(s,   i, c, v) { sub(/^0x/, "", s); v = 0; for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)) - 1; v = v * 16 + c } return v }
  function bucket(v) { if (v < 0) return "err" (-v == 11 ? " EAGAIN" : -v); if (v == 0) return "0 B"; if (v < 100) return "1-99 B";
    if (v < 400) return "100-399 B"; if (v < 1400) return "400-1399 B"; if (v < 4096) return "1400-4095 B"; if (v < 16384) return "4-16 KiB";
    if (v < 65536) return "16-64 KiB"; return ">= 64 KiB" }
  {
    split($1, id, "/"); pid = id[1]; tid = id[2]; ev = $2; sub(/:$/, "", ev); sub(/^syscalls:/, "", ev)
    if (ev ~ /^sys_enter_/) {
      name = substr(ev, 11); fd = ""
      if (match($0, /fd: 0x[0-9a-f]+/)) fd = pid ":" hex(substr($0, RSTART + 4, RLENGTH - 4))
      n++; E[n] = name; F[n] = fd; V[n] = ""; open[tid] = n
      next
    }
    name = substr(ev, 10); v = $NF; v = (v ~ /^0xffffffff/) ? hex(substr(v, 11)) - 4294967296 : hex(v)
    if (name == "epoll_wait") { k = "epoll_wait returned " (v >= 4 ? "4+" : v) " events"; X[k]++; next }
    i = open[tid]; if (i == "" || E[i] != name) next
    V[i] = v
    if ((name == "recvfrom" || name == "read" || name == "readv" || name == "recvmsg") && v > 0 && v < 100) client[F[i]] = 1
  }
  END {
    for (i = 1; i <= n; i++) {
      if (E[i] == "futex" || E[i] == "epoll_wait") { X[E[i] " calls"]++; continue }
      if (V[i] == "") continue
      side = (F[i] in client) ? "client " : "backend"
      if (side == "client " && V[i] > 0 && V[i] < 100 && E[i] !~ /send|write/) requests++
      X[side " " E[i] " " bucket(V[i])]++
    }
    if (requests == 0) { print "syscalls.sh: no request seen (GET only)"; exit 1 }
    printf "requests recorded: %d\n", requests
    for (k in X) printf "  %-44s %7.3f per request\n", k, X[k] / requests | "sort"
  }'
