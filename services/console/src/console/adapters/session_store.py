"""Sign-ins kept server-side, in the console's own PostgreSQL table `console_sessions`: the signed
cookie carries only a session id, and every request asks here whether that session is still signed in
(not signed out, not idle for SESSION_IDLE_MINUTES, not older than SESSION_MINUTES), moving its idle
deadline in the same statement. Sign-out marks the row, so a copied cookie stops working at once, in
every console process and after a restart."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import psycopg2
import psycopg2.extensions

from console.adapters.platform_api import ApiUnavailable
from linkwell_runtime import db


class SessionStore:
    def __init__(self, pool: db.Pool, clock: Callable[[], float], *, max_minutes: int, idle_minutes: int) -> None:
        self._pool = pool
        self._clock = clock
        self.max_age = timedelta(minutes=max_minutes)
        self.idle = timedelta(minutes=idle_minutes)

    def now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), UTC)

    def start(self) -> str:
        """A new session's id; sessions past their end are cleared out on the way (nothing can use them)."""
        session_id, now = uuid.uuid4(), self.now()
        with self._transaction() as cur:
            cur.execute("DELETE FROM console_sessions WHERE ends_at < %s", (now,))
            cur.execute(
                "INSERT INTO console_sessions (session_id, started_at, last_seen_at, ends_at) VALUES (%s, %s, %s, %s)",
                (session_id, now, now, now + self.max_age),
            )
        return str(session_id)

    def still_signed_in(self, session_id: str) -> bool:
        """True, and the idle deadline moved on, when the session is neither signed out, idle nor over."""
        try:
            key = uuid.UUID(session_id)
        except ValueError:
            return False
        now = self.now()
        with self._transaction() as cur:
            cur.execute(
                "UPDATE console_sessions SET last_seen_at = %s"
                " WHERE session_id = %s AND signed_out_at IS NULL AND ends_at > %s AND last_seen_at > %s"
                " RETURNING session_id",
                (now, key, now, now - self.idle),
            )
            return cur.fetchone() is not None

    def end(self, session_id: str) -> None:
        """Sign-out: the session is over for every copy of its cookie."""
        try:
            key = uuid.UUID(session_id)
        except ValueError:
            return
        with self._transaction() as cur:
            cur.execute(
                "UPDATE console_sessions SET signed_out_at = %s WHERE session_id = %s AND signed_out_at IS NULL",
                (self.now(), key),
            )

    @contextmanager
    def _transaction(self) -> Iterator[psycopg2.extensions.cursor]:
        try:
            with self._pool.transaction() as cur:
                yield cur
        except psycopg2.OperationalError as exc:  # the database is not there: "try again", never a 500
            raise ApiUnavailable("sign-in", type(exc).__name__) from None
