"""The compose platform's PostgreSQL roles are `make up`'s (docs/security.md §11), checked on the
running server from linkwell/python on the host network:

- the old defaults get nobody in: the superuser with `postgres`, a service role with its own name;
- each service role (its password from the file the smoke script mounts) reads its rows, but may not
  create a table, delete audit rows (referral, engagement) or connect to another service's database;
- the tables belong to the schema owner, not to the role the processes use.

    python roles.py        exit 0 when all holds; otherwise 1, naming what does not

Settings: PG_PORT (25432); /run/secrets/pg/<service>.password for referral, engagement, reporting."""

from __future__ import annotations

import os
import sys

import psycopg2

from linkwell_runtime.secret_files import read_secret_file

PG_PORT = os.environ.get("PG_PORT", "25432")
SERVICES = ("referral", "engagement", "reporting")


def connect(role: str, password: str, database: str) -> psycopg2.extensions.connection:
    return psycopg2.connect(
        host="127.0.0.1", port=PG_PORT, user=role, password=password, dbname=database, connect_timeout=5
    )


def refused(role: str, password: str, database: str) -> bool:
    try:
        connect(role, password, database).close()
    except psycopg2.OperationalError:
        return True
    return False


def denied(conn: psycopg2.extensions.connection, statement: str) -> bool:
    try:
        with conn.cursor() as cur:
            cur.execute(statement)
    except psycopg2.errors.InsufficientPrivilege:
        conn.rollback()
        return True
    conn.rollback()
    return False


def main() -> int:
    problems = []
    if not refused("postgres", "postgres", "postgres"):
        problems.append("the superuser logs in over TCP with the password 'postgres'")
    for service in SERVICES:
        role, database = f"linkwell_{service}", f"linkwell_{service}"
        if not refused(role, role, database):
            problems.append(f"{role} logs in with its own name as password")
        password = read_secret_file(f"/run/secrets/pg/{service}.password")
        conn = connect(role, password, database)
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT count(*) FROM events")
                cur.execute("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")
                owners = {row[0] for row in cur.fetchall()}
            conn.rollback()
            if owners != {f"{role}_owner"}:
                problems.append(f"{database}'s tables belong to {sorted(owners)}, not {role}_owner")
            if not denied(conn, "CREATE TABLE smoke_roles (i int)"):
                problems.append(f"{role} may create a table")
            if service != "reporting" and not denied(conn, "DELETE FROM access_audit"):
                problems.append(f"{role} may delete audit rows")
        finally:
            conn.close()
        other = next(s for s in SERVICES if s != service)
        if not refused(role, password, f"linkwell_{other}"):
            problems.append(f"{role} may connect to linkwell_{other}")
    for problem in problems:
        print(f"roles: {problem}", file=sys.stderr)
    if not problems:
        print("roles: as make up's: old defaults refused; service roles rows only, in their own database")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
