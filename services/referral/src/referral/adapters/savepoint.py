"""A savepoint around part of a transaction: what a refused command wrote is undone, the rest stays."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from psycopg2.extensions import cursor as Cursor

from linkwell_runtime import db


@contextmanager
def savepoint(cur: Cursor, name: str) -> Iterator[None]:
    """Roll back to the savepoint when the block raises (then re-raise), release it otherwise. A
    database that has gone away is left to the caller: nothing can be rolled back on it."""
    cur.execute(f"SAVEPOINT {name}")
    try:
        yield
    except db.TRANSIENT_ERRORS:
        raise
    except Exception:
        cur.execute(f"ROLLBACK TO SAVEPOINT {name}")
        raise
    cur.execute(f"RELEASE SAVEPOINT {name}")
