#!/usr/bin/env bash
# Runs every test. Installs what the tests need (Debian packages) when missing.
#   ./test.sh                 everything
#   ./test.sh --filter X      passes --filter X to dotnet test
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Debian packages the tests use, as "command:package".
needs=("pg_ctlcluster:postgresql" "prometheus:prometheus" "promtool:prometheus" "openssl:openssl")
# Alerts: the end-to-end alert test runs a real Alertmanager.
needs+=("prometheus-alertmanager:prometheus-alertmanager")
# Dashboard: the browser tests drive Debian's chromium through Playwright (never a browser it downloads).
needs+=("chromium:chromium")
# Kubernetes: render kubernetes output is validated offline with the kubernetes-models schemas under node;
# backups: the S3 destination tests run s3rver under node.
needs+=("node:nodejs" "npm:npm")
# ACME: the client is tested against a real Pebble CA with pebble-challtestsrv as its DNS server.
needs+=("pebble:pebble" "pebble-challtestsrv:pebble")
# Stateful services: the supervisor tests run a real Redis beside the real PostgreSQL.
needs+=("redis-server:redis-server")
missing=()
for pair in "${needs[@]}"; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The schema packages validate.mjs imports, at the versions package-lock.json pins (again when the lock changes).
schemas=tests/Slipway.Kubernetes.Tests/Schemas
if [ ! -f "$schemas/node_modules/.package-lock.json" ] || [ "$schemas/package-lock.json" -nt "$schemas/node_modules/.package-lock.json" ]; then
  (cd "$schemas" && npm ci --no-audit --no-fund --loglevel=error)
fi

# s3rver, the S3-compatible server the S3 backup destination tests run on loopback, pinned by its lock.
s3rver=tests/Slipway.Backups.Tests/S3rver
if [ ! -f "$s3rver/node_modules/.package-lock.json" ] || [ "$s3rver/package-lock.json" -nt "$s3rver/node_modules/.package-lock.json" ]; then
  (cd "$s3rver" && npm ci --no-audit --no-fund --loglevel=error)
fi

dotnet build Slipway.slnx -c Release --nologo -v quiet -clp:ErrorsOnly
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test Slipway.slnx -c Release --no-build --nologo "$@" 2>&1 | tee "$log" || status=$?
# One plain summary line over all test projects, so a run of zero tests shows.
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -oE 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$passed" -eq 0 ]; then echo "test.sh: no test ran" >&2; exit 1; fi
exit $status
