"""Test helpers for a real PostgreSQL database: read what a test's code wrote, run admin statements."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg2
import psycopg2.extensions

from linkwell_runtime import db


def query(dsn: str, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[tuple[Any, ...]]:
    """Every row of one query, in a transaction of its own."""
    with cursor(dsn) as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def scalar(dsn: str, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Any:
    """The first column of the first row."""
    return query(dsn, sql, params)[0][0]


@contextmanager
def cursor(dsn: str) -> Iterator[psycopg2.extensions.cursor]:
    """A cursor in one transaction (committed when the block ends) on a connection of its own."""
    conn = db.connect(dsn)
    try:
        with db.transaction(conn) as cur:
            yield cur
    finally:
        conn.close()


def admin(dsn: str, statement: str) -> None:
    """A statement that cannot run in a transaction (CREATE/DROP DATABASE), with autocommit."""
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(statement)
    finally:
        conn.close()
