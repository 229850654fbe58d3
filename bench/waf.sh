#!/usr/bin/env bash
# The WAF engine alone: ns and bytes allocated per inspected request (BenchmarkDotNet, in process).
# Not a test; run it on a quiet machine.
#   bench/waf.sh                      # full runs of every case
#   bench/waf.sh --job short          # a quick look (3 iterations)
#   bench/waf.sh --filter '*Benign*'  # any BenchmarkDotNet option
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/slipway-waf-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

dotnet build "$here/WafBench/Slipway.Bench.Waf.csproj" -c Release -o "$work/bin" --nologo -v quiet -clp:ErrorsOnly >"$work/build.log" \
  || { cat "$work/build.log" >&2; exit 1; }
cd "$work"
args=(--inProcess "$@")
if [[ " ${args[*]} " != *" --filter "* ]]; then args+=(--filter '*'); fi
dotnet "$work/bin/Slipway.Bench.Waf.dll" "${args[@]}"
