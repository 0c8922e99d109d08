"""`Idempotency-Key` on writes (docs/architecture.md §4): the same key and body replays the first answer.

The answer is stored in the same transaction as the write, so a retry after a crash either finds
the stored answer or finds nothing written at all. Keys are per caller: one caller cannot replay
another's answer. The same key with a different body is refused (422), never silently replayed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import psycopg2.extensions
import psycopg2.extras


class IdempotencyKeyReused(Exception):
    """The key was already used for a different request."""


@dataclass(frozen=True)
class StoredAnswer:
    status_code: int
    body: Any


def request_hash(method: str, path: str, body: Any, caller: Any = None) -> str:
    """The request's fingerprint: method, path (the route and its ids), body, and the caller's role and
    scope (`caller`), so a stored answer is replayed only to the same caller making the same request."""
    canonical = json.dumps([method, path, body, caller], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def replay(cur: psycopg2.extensions.cursor, caller: str, key: str, fingerprint: str) -> StoredAnswer | None:
    """The stored answer for this caller and key, locking the row; None when the key is new."""
    cur.execute(
        "SELECT request_hash, status_code, response FROM idempotency_keys WHERE caller = %s AND key = %s FOR UPDATE",
        (caller, key),
    )
    row = cur.fetchone()
    if row is None:
        return None
    if row[0] != fingerprint:
        raise IdempotencyKeyReused("this Idempotency-Key was used for a different request")  # never echo the key
    return StoredAnswer(row[1], row[2])


def remember(cur: psycopg2.extensions.cursor, caller: str, key: str, fingerprint: str, answer: StoredAnswer) -> None:
    """Store the answer; a concurrent first use of the same key fails on the primary key."""
    cur.execute(
        "INSERT INTO idempotency_keys (caller, key, request_hash, status_code, response) VALUES (%s, %s, %s, %s, %s)",
        (caller, key, fingerprint, answer.status_code, psycopg2.extras.Json(answer.body)),
    )
