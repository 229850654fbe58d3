#!/bin/sh
# Plays Howlerops' migration runner (its Kubernetes Job, rollback Job and status CronJob) in golang-migrate's style:
# migrations/NNN_name.up.sql and .down.sql, the applied version in schema_migrations. It logs in over TCP as the
# api's role with the DB_PASSWORD secret the hook or job is given.
#   migrate.sh up       up to the version being deployed ($SLIPWAY_VERSION)
#   migrate.sh down     down to the version rolled back to ($SLIPWAY_ROLLBACK_TO_VERSION)
#   migrate.sh status   prints the applied version
set -eu
cd "$(dirname "$0")/migrations"
export PGPASSWORD="$DB_PASSWORD"
sql() { psql "$SLIPWAY_DB_URL" -X -q -t -A -v ON_ERROR_STOP=1 "$@"; }
sql -c "create table if not exists schema_migrations (version int not null, dirty boolean not null default false)"
current=$(sql -c "select coalesce(max(version), 0) from schema_migrations")
case "$1" in
  up)
    for file in $(ls [0-9]*_*.up.sql | sort); do
      version=$(echo "$file" | sed 's/^0*\([0-9][0-9]*\)_.*/\1/')
      if [ "$version" -gt "$current" ] && [ "$version" -le "$SLIPWAY_VERSION" ]; then
        sql -1 -f "$file" -c "delete from schema_migrations; insert into schema_migrations values ($version, false)"
        echo "migrate.sh: up to $version ($file)"
      fi
    done ;;
  down)
    for file in $(ls [0-9]*_*.down.sql | sort -r); do
      version=$(echo "$file" | sed 's/^0*\([0-9][0-9]*\)_.*/\1/')
      if [ "$version" -le "$current" ] && [ "$version" -gt "$SLIPWAY_ROLLBACK_TO_VERSION" ]; then
        sql -1 -f "$file" -c "delete from schema_migrations; insert into schema_migrations values ($((version - 1)), false)"
        echo "migrate.sh: down from $version ($file)"
      fi
    done ;;
  status) echo "migrate.sh: schema version $current" ;;
  *) echo "usage: migrate.sh up|down|status" >&2; exit 2 ;;
esac
