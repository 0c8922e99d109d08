"""PostgreSQL access with psycopg2: connections, transactions, the shared schema files."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources

import psycopg2
import psycopg2.extensions
import psycopg2.extras
import psycopg2.pool

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


def apply_sql(conn: psycopg2.extensions.connection, *names: str, package: str = "linkwell_runtime.sql") -> None:
    """Run idempotent schema files shipped in `package` (the runtime's own by default:
    "eventstore", "consumer", "idempotency"; a service passes e.g. "referral.adapters.sql")."""
    with transaction(conn) as cur:
        for name in names:
            cur.execute(resources.files(package).joinpath(f"{name}.sql").read_text())


class PoolTimeout(psycopg2.OperationalError):
    """No connection came free in time: the database is overloaded, not the input bad (503)."""


class Pool:
    """A small thread-safe connection pool for HTTP handlers: `with pool.transaction() as cur:`.

    When every connection is in use a request waits (up to `wait_seconds`) for one to come free,
    instead of failing: a burst of requests queues rather than answering 500."""

    def __init__(self, dsn: str, minconn: int = 1, maxconn: int = 10, wait_seconds: float = 30.0) -> None:
        self._pool = psycopg2.pool.ThreadedConnectionPool(minconn, maxconn, dsn)
        self._free = threading.BoundedSemaphore(maxconn)
        self._wait = wait_seconds

    @contextmanager
    def transaction(self) -> Iterator[psycopg2.extensions.cursor]:
        if not self._free.acquire(timeout=self._wait):
            raise PoolTimeout(f"no database connection free within {self._wait}s")
        try:
            conn = self._pool.getconn()
            broken = False
            try:
                with transaction(conn) as cur:
                    yield cur
            except TRANSIENT_ERRORS:
                broken = True
                raise
            finally:
                self._pool.putconn(conn, close=broken or bool(conn.closed))
        finally:
            self._free.release()

    def close(self) -> None:
        self._pool.closeall()
