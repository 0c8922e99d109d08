"""PostgreSQL access with psycopg2: connections, transactions, the shared schema files."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources

import psycopg2
import psycopg2.extensions
import psycopg2.extras

psycopg2.extras.register_uuid()

# Errors that say "the database is not there right now", not "this input is bad": retry them.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (psycopg2.OperationalError, psycopg2.InterfaceError)


def connect(dsn: str) -> psycopg2.extensions.connection:
    conn = psycopg2.connect(dsn)
    conn.autocommit = False
    return conn


@contextmanager
def transaction(conn: psycopg2.extensions.connection) -> Iterator[psycopg2.extensions.cursor]:
    """One transaction: commit on success, roll back on any error."""
    try:
        with conn.cursor() as cur:
            yield cur
        conn.commit()
    except BaseException:
        if not conn.closed:
            conn.rollback()
        raise


def apply_sql(conn: psycopg2.extensions.connection, *names: str) -> None:
    """Run the runtime's own idempotent schema files (e.g. "eventstore", "consumer")."""
    with transaction(conn) as cur:
        for name in names:
            cur.execute(resources.files("linkwell_runtime.sql").joinpath(f"{name}.sql").read_text())
