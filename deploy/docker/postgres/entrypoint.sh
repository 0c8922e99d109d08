#!/bin/sh
#   server                        initdb on first start, then postgres in the foreground
#   createdb NAME [ROLE [OWNER]]  one database with its schema owner OWNER (default ROLE_owner) and
#                                 service role ROLE (default NAME), idempotently, by the SQL of
#                                 deploy/bin/postgres createdb (roles.sql); OWNER = ROLE: one role owns
#                                 and uses it. Passwords from PG_SECRETS_DIR/pg-<role>.password (made
#                                 by deploy/bin/compose secrets), handed to psql on stdin, never argv.
# The superuser "postgres" logs in only by peer on the unix socket (PG_SOCKET_DIR), as the OS user
# postgres: compose shares the socket's directory with the createdb job, which starts as root to read
# the password files and runs psql as postgres. PG_SUPERUSER_PASSWORD, when set (the tests' containers),
# also lets it in over TCP; unset, it has no password and TCP refuses it (docs/security.md §11).
set -eu
export PGPORT="$PG_PORT"
SOCK=${PG_SOCKET_DIR:-/var/run/postgresql}
# psql as the cluster owner: a job started as root (to read the password files) drops to postgres.
as_postgres() { if [ "$(id -u)" = 0 ]; then setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; else "$@"; fi; }
case "${1:-server}" in
server)
    if [ ! -f "$PGDATA/PG_VERSION" ]; then
        pw=$(mktemp)
        if [ -n "${PG_SUPERUSER_PASSWORD:-}" ]; then
            printf '%s\n' "$PG_SUPERUSER_PASSWORD" >"$pw"
            set -- --pwfile="$pw"
        else
            set --
        fi
        initdb -D "$PGDATA" -U postgres "$@" -E UTF8 --locale=C.UTF-8 \
            --auth-local=peer --auth-host=scram-sha-256 >/dev/null
        rm -f "$pw"
        echo "include_if_exists = 'linkwell.conf'" >>"$PGDATA/postgresql.conf"
        echo "postgres: initialised $PGDATA"
    fi
    {
        echo "# Written by the container's entrypoint on every start."
        echo "listen_addresses = '$PG_HOST'"
        echo "port = $PG_PORT"
        echo "unix_socket_directories = '$SOCK'"
        echo "password_encryption = 'scram-sha-256'"
        if [ "$PG_FAST" = 1 ]; then printf 'fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n'; fi
    } >"$PGDATA/linkwell.conf"
    # No passwordless access but the cluster owner (the OS user postgres) on the socket, as
    # deploy/bin/postgres writes it; rewritten on every start, so a volume made before gets it too.
    {
        echo "# Written by the container's entrypoint on every start; edits are lost."
        echo "local  all  postgres                 peer"
        echo "local  all  all                      scram-sha-256"
        echo "host   all  all       127.0.0.1/32   scram-sha-256"
        echo "host   all  all       ::1/128        scram-sha-256"
    } >"$PGDATA/pg_hba.conf"
    exec postgres -D "$PGDATA"
    ;;
createdb)
    name=${2:?usage: createdb NAME [ROLE [OWNER]]}; role=${3:-$name}; owner=${4:-${3:-$name}_owner}
    secrets=${PG_SECRETS_DIR:-/run/secrets/pg}
    # A psql \set line for the password in a file (quotes doubled, backslashes escaped), on stdin.
    set_password_line() {
        [ -s "$2" ] || { echo "createdb: no password file $2 (deploy/bin/compose secrets makes it)" >&2; exit 1; }
        printf "\\\\set %s '%s'\n" "$1" "$(head -n 1 "$2" | sed -e 's/\\/\\\\/g' -e "s/'/''/g")"
    }
    {
        printf '\\set db %s\n\\set role %s\n\\set owner %s\n' "$name" "$role" "$owner"
        set_password_line role_pw "$secrets/pg-$role.password"
        set_password_line owner_pw "$secrets/pg-$owner.password"
        cat /usr/local/share/linkwell/roles.sql
    } | as_postgres psql -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -U postgres -d postgres
    echo "database $name ready: service role $role, schema owner $owner"
    ;;
no-superuser-password)
    # The superuser by peer on the socket only: a password left from an older volume is removed.
    echo 'ALTER ROLE postgres PASSWORD NULL;' | as_postgres psql -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -U postgres -d postgres
    ;;
*)
    exec "$@"
    ;;
esac
