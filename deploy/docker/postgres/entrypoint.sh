#!/bin/sh
#   server                   initdb on first start, then postgres in the foreground
#   createdb NAME [OWNER]    one database and its owner role on the server at PG_HOST:PG_PORT
#                            (password PG_ROLE_PASSWORD, default the owner's name), idempotently
set -eu
export PGPORT="$PG_PORT"
case "${1:-server}" in
server)
    if [ ! -f "$PGDATA/PG_VERSION" ]; then
        pw=$(mktemp); printf '%s\n' "$PG_SUPERUSER_PASSWORD" >"$pw"
        initdb -D "$PGDATA" -U postgres --pwfile="$pw" -E UTF8 --locale=C.UTF-8 \
            --auth-local=peer --auth-host=scram-sha-256 >/dev/null
        rm -f "$pw"
        echo "include_if_exists = 'linkwell.conf'" >>"$PGDATA/postgresql.conf"
        echo "postgres: initialised $PGDATA"
    fi
    {
        echo "# Written by the container's entrypoint on every start."
        echo "listen_addresses = '$PG_HOST'"
        echo "port = $PG_PORT"
        echo "unix_socket_directories = '/var/run/postgresql'"
        echo "password_encryption = 'scram-sha-256'"
        if [ "$PG_FAST" = 1 ]; then printf 'fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n'; fi
    } >"$PGDATA/linkwell.conf"
    exec postgres -D "$PGDATA"
    ;;
createdb)
    name=$2; owner=${3:-$2}; password=${PG_ROLE_PASSWORD:-$owner}
    export PGPASSWORD="$PG_SUPERUSER_PASSWORD"
    psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -U postgres -d postgres -v db="$name" -v owner="$owner" -v pw="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'owner')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'owner', :'pw') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'owner')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', :'db', :'owner') \gexec
SELECT format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', :'db') \gexec
SQL
    echo "database $name (owner $owner) ready on $PG_HOST:$PG_PORT"
    ;;
*)
    exec "$@"
    ;;
esac
