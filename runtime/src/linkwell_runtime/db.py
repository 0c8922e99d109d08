"""PostgreSQL access with psycopg2: connections, transactions, the pool. (The schema: `migrations`.)"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg2
import psycopg2.extensions
import psycopg2.extras

psycopg2.extras.register_uuid()  # type: ignore[no-untyped-call]  # types-psycopg2 leaves it unannotated

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


class StatementBatch:
    """Collects statements, bound by the cursor's `mogrify`, instead of running them: code that writes
    through `cur.execute(sql, params)` can hand them to one round trip (e.g. `eventstore.append`'s
    `then`). It cannot answer a query; only for writes."""

    def __init__(self, cur: psycopg2.extensions.cursor) -> None:
        self._cur = cur
        self.statements: list[bytes] = []

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None) -> None:
        self.statements.append(self._cur.mogrify(sql, params))


class PoolTimeout(psycopg2.OperationalError):
    """No connection came free in time: the database is overloaded, not the input bad (503)."""


class Pool:
    """A small thread-safe connection pool for HTTP handlers: `with pool.transaction() as cur:`.

    Connections open when first needed and are then kept and reused, up to `maxconn`. (psycopg2's own
    pool closes every connection returned beyond its minimum, so under concurrency nearly each
    request paid for a new PostgreSQL backend: that was the API latency tail.) When every connection
    is in use a request waits (up to `wait_seconds`) for one to come free, instead of failing: a burst
    of requests queues rather than answering 500. A connection that failed is closed, not reused."""

    def __init__(self, dsn: str, maxconn: int = 10, wait_seconds: float = 30.0) -> None:
        self._dsn = dsn
        self._idle: list[psycopg2.extensions.connection] = []
        self._lock = threading.Lock()
        self._free = threading.BoundedSemaphore(maxconn)
        self._wait = wait_seconds
        self._closed = False

    @contextmanager
    def transaction(self) -> Iterator[psycopg2.extensions.cursor]:
        if not self._free.acquire(timeout=self._wait):
            raise PoolTimeout(f"no database connection free within {self._wait}s")
        try:
            conn = self._take()
            broken = True
            try:
                with transaction(conn) as cur:
                    yield cur
                broken = False
            except TRANSIENT_ERRORS:
                raise
            except BaseException:
                broken = False  # the transaction rolled back; the connection is fine
                raise
            finally:
                self._give_back(conn, broken)
        finally:
            self._free.release()

    def _take(self) -> psycopg2.extensions.connection:
        with self._lock:
            if self._closed:
                raise psycopg2.InterfaceError("connection pool is closed")
            while self._idle:
                conn = self._idle.pop()
                if not conn.closed:
                    return conn
        return connect(self._dsn)

    def _give_back(self, conn: psycopg2.extensions.connection, broken: bool) -> None:
        keep = (
            not broken
            and not conn.closed
            and conn.info.transaction_status == psycopg2.extensions.TRANSACTION_STATUS_IDLE
        )
        with self._lock:
            if keep and not self._closed:
                self._idle.append(conn)
                return
        if not conn.closed:
            conn.close()

    @property
    def idle_connections(self) -> int:
        return len(self._idle)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()
