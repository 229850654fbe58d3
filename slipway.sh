#!/usr/bin/env bash
# Builds Slipway (when sources changed) and runs the `slipway` CLI with the given arguments.
#   ./slipway.sh validate examples/shop/slipway.yaml
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="$here/artifacts/bin"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

stamp="$out/.build-stamp"
newest=$(find "$here/src" "$here/examples/demo-app" "$here/Directory.Build.props" "$here/Directory.Packages.props" \
  -newer "$stamp" -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.json' -o -name '*.yaml' \) -print -quit 2>/dev/null || true)
if [ ! -f "$stamp" ] || [ -n "$newest" ]; then
  # The first build restores packages and compiles seven projects (a minute or two): say so, then name each
  # project as it is done, so a new user sees it working. The whole log stays in $out/build.log.
  echo "slipway.sh: building Slipway and the demo app (the first build takes a minute or two)..." >&2
  mkdir -p "$out"
  if ! { dotnet build "$here/src/Slipway.Cli/Slipway.Cli.csproj" -c Release -o "$out" --nologo -v minimal -clp:NoSummary \
      && { [ ! -f "$here/examples/demo-app/demo-app.csproj" ] \
           || dotnet build "$here/examples/demo-app/demo-app.csproj" -c Release --nologo -v minimal -clp:NoSummary; }; } 2>&1 \
    | tee "$out/build.log" \
    | sed -un -e 's/^ *Restored \([^ ]*\).*/slipway.sh:   restored packages for \1/p' -e 's/^ *\([A-Za-z0-9.-]*\) -> .*/slipway.sh:   built \1/p' >&2; then
    grep -E 'error|warning' "$out/build.log" >&2 || cat "$out/build.log" >&2
    exit 1
  fi
  echo "slipway.sh: built." >&2
  touch "$stamp"
fi
# The examples run Debian's PostgreSQL and Redis as stateful services: `up` installs them when its manifest runs them
# and they are missing, as test.sh does for the tests.
if [ "${1:-}" = up ]; then
  missing=()
  for arg in "$@"; do
    [ -f "$arg" ] || continue
    if grep -qE 'command: *postgres\b' "$arg" && ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 && ! command -v postgres >/dev/null; then
      missing+=(postgresql)
    fi
    if grep -qE 'command: *redis-server\b' "$arg" && ! command -v redis-server >/dev/null; then
      missing+=(redis-server)
    fi
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "slipway.sh: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi
exec dotnet "$out/slipway.dll" "$@"
