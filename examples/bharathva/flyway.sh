#!/bin/sh
# Plays Flyway for the auth service's deploy hooks, with psql over TCP as the service's own role, so it needs the
# DB_PASSWORD secret the hook is given:
#   flyway.sh migrate   applies migrations/V<n>__*.sql for every n up to the version being deployed ($SLIPWAY_VERSION)
#   flyway.sh undo      runs migrations/U<n>__*.sql for every applied n above the version rolled back to
set -eu
cd "$(dirname "$0")/migrations"
export PGPASSWORD="$DB_PASSWORD"
sql() { psql "$SLIPWAY_DB_URL" -X -q -t -A -v ON_ERROR_STOP=1 "$@"; }
sql -c "create table if not exists flyway_schema_history (version int primary key, script text not null, installed_on timestamptz not null default now())"
case "$1" in
  migrate)
    for file in V*__*.sql; do
      version=${file#V}; version=${version%%__*}
      if [ "$version" -le "$SLIPWAY_VERSION" ] && [ -z "$(sql -c "select 1 from flyway_schema_history where version = $version")" ]; then
        sql -1 -f "$file" -c "insert into flyway_schema_history (version, script) values ($version, '$file')"
        echo "flyway.sh: applied $file"
      fi
    done ;;
  undo)
    for version in $(sql -c "select version from flyway_schema_history where version > $SLIPWAY_ROLLBACK_TO_VERSION order by version desc"); do
      sql -1 -f U${version}__*.sql -c "delete from flyway_schema_history where version = $version"
      echo "flyway.sh: undid version $version"
    done ;;
  *) echo "usage: flyway.sh migrate|undo" >&2; exit 2 ;;
esac
