#!/bin/sh
# The official images' entrypoints, as far as compose.yaml uses them: `postgres ARGS`
# initialises an empty data directory from POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB,
# then runs PostgreSQL as user postgres; `redis-server ARGS` runs Redis in /data as user redis,
# with protected mode off as the official image has it (its clients are on other containers).
set -eu
as() { user=$1; shift; exec setpriv --reuid="$user" --regid="$user" --init-groups "$@"; }

case "${1:-}" in
postgres)
    shift
    data=/var/lib/postgresql/data
    chown postgres:postgres "$data"
    chmod 0700 "$data"
    if [ ! -s "$data/PG_VERSION" ]; then
        umask 077
        printf '%s\n' "$POSTGRES_PASSWORD" >/tmp/pwfile
        chown postgres /tmp/pwfile
        setpriv --reuid=postgres --regid=postgres --init-groups \
            initdb -D "$data" -U "$POSTGRES_USER" --pwfile=/tmp/pwfile \
            --auth-local=trust --auth-host=scram-sha-256 >/dev/null
        rm -f /tmp/pwfile
        echo "host all all all scram-sha-256" >>"$data/pg_hba.conf"
        echo "CREATE DATABASE \"$POSTGRES_DB\" OWNER \"$POSTGRES_USER\";" \
        | setpriv --reuid=postgres --regid=postgres --init-groups \
            postgres --single -D "$data" -j postgres >/dev/null
    fi
    as postgres postgres -D "$data" "$@"
    ;;
redis-server)
    chown redis:redis /data
    cd /data
    shift
    as redis redis-server --protected-mode no "$@"
    ;;
*)
    exec "$@"
    ;;
esac
