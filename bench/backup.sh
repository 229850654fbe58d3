#!/usr/bin/env bash
# Slipway's logical backup vs `pg_dump -Fp | gzip`, and its physical backup vs
# `pg_basebackup -Ft -D - -X fetch | gzip -1`, on a generated database (default ~1 GB), in a scratch
# PostgreSQL cluster this script starts and removes. Prints times, sizes and ratios.
#   bench/backup.sh [SIZE_GB]
# Installs PostgreSQL and bc (Debian packages) when missing; needs root or the postgres user.
set -euo pipefail
missing=()
command -v bc >/dev/null 2>&1 || missing+=(bc)
ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  echo "bench: installing ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
here=$(cd "$(dirname "$0")/.." && pwd)
size_gb=${1:-1}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
work=$(mktemp -d /tmp/slipway-bench-XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  as_pg "$bin/pg_ctl" stop -D "$work/data" -m immediate -w -t 30 >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$work"
as_pg "$bin/initdb" -D "$work/data" -U postgres -A trust --no-sync --no-instructions >/dev/null
as_pg "$bin/pg_ctl" start -D "$work/data" -w -t 60 -l "$work/log" \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $work -c fsync=off -c max_wal_size=4GB" >/dev/null
psql() { "$bin/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres "$@"; }
psql -c "create database bench"
rows=$(echo "$size_gb * 4500000 / 1" | bc)
echo "bench: generating ~${size_gb} GB ($rows rows)..." >&2
psql -d bench -c "create table events (id bigint primary key, at timestamptz, kind text, payload text)" \
  -c "insert into events select g, '2026-01-01'::timestamptz + g * interval '1 second', (array['view','click','buy'])[1 + g % 3],
        md5(g::text) || ' ' || repeat(chr(97 + g % 26), 120) || ' ' || md5((g * 31)::text) from generate_series(1, $rows) g" \
  -c "vacuum analyze events"
echo "bench: database is $(psql -d bench -At -c "select pg_size_pretty(pg_database_size('bench'))")" >&2

now() { date +%s.%N; }
t0=$(now)
"$bin/pg_dump" -h 127.0.0.1 -p "$port" -U postgres -d bench | gzip -6 > "$work/peer.sql.gz"
t1=$(now)
peer_time=$(echo "$t1 - $t0" | bc); peer_size=$(stat -c %s "$work/peer.sql.gz")

mkdir -p "$work/slipway"
cat > "$work/slipway/slipway.yaml" <<YAML
app: bench
backups:
  bench:
    postgres: "postgresql://postgres@127.0.0.1:$port/bench"
    destination: out
    compression: gzip
YAML
"$here/slipway.sh" version >/dev/null   # build outside the timing
t0=$(now)
"$here/slipway.sh" backup run bench --file "$work/slipway/slipway.yaml" >&2
t1=$(now)
ours_time=$(echo "$t1 - $t0" | bc); ours_size=$(stat -c %s "$work"/slipway/out/*.dump)

# Physical: the same database as a base backup.
t0=$(now)
"$bin/pg_basebackup" -h 127.0.0.1 -p "$port" -U postgres -D - -Ft -X fetch --checkpoint=fast | gzip -1 > "$work/peer.base.tar.gz"
t1=$(now)
peer_phys_time=$(echo "$t1 - $t0" | bc); peer_phys_size=$(stat -c %s "$work/peer.base.tar.gz")
cat >> "$work/slipway/slipway.yaml" <<YAML
  bench-physical:
    postgres: "postgresql://postgres@127.0.0.1:$port/bench"
    kind: physical
    destination: out-physical
    compression: gzip
YAML
t0=$(now)
"$here/slipway.sh" backup run bench-physical --file "$work/slipway/slipway.yaml" >&2
t1=$(now)
ours_phys_time=$(echo "$t1 - $t0" | bc); ours_phys_size=$(stat -c %s "$work"/slipway/out-physical/*.base.tar.gz)

ratio() { echo "$1 / $2" | bc -l; }
echo "database: $(psql -d bench -At -c "select pg_size_pretty(pg_database_size('bench'))")"
printf 'logical   pg_dump | gzip -6:              %8.1fs  %12d bytes\n' "$peer_time" "$peer_size"
printf 'logical   slipway (pg_dump -Fc -Z6):      %8.1fs  %12d bytes\n' "$ours_time" "$ours_size"
printf 'logical   ratio slipway/peer:   time %.2f   size %.2f\n' "$(ratio "$ours_time" "$peer_time")" "$(ratio "$ours_size" "$peer_size")"
printf 'physical  pg_basebackup | gzip -1:        %8.1fs  %12d bytes\n' "$peer_phys_time" "$peer_phys_size"
printf 'physical  slipway (basebackup + gzip 1):  %8.1fs  %12d bytes\n' "$ours_phys_time" "$ours_phys_size"
printf 'physical  ratio slipway/peer:   time %.2f   size %.2f\n' "$(ratio "$ours_phys_time" "$peer_phys_time")" "$(ratio "$ours_phys_size" "$peer_phys_size")"
