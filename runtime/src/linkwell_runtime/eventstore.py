"""Append-only event store with the outbox written in the same transaction.

Optimistic concurrency comes from UNIQUE (aggregate_id, aggregate_version): of two writers that
read version n and append n+1, one commits and the other gets ConcurrencyConflict.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from uuid import UUID

import psycopg2
import psycopg2.errors
import psycopg2.extensions
import psycopg2.extras

from contracts import Envelope, new_event_id


class ConcurrencyConflict(Exception):
    """Someone else appended to this aggregate first: reload and retry, or answer 409."""


class EventTooLarge(ValueError):
    """An event the broker would refuse: refused when written, so it can never block the relay."""


VERSION_CONSTRAINT = "events_aggregate_version_key"  # UNIQUE (aggregate_id, aggregate_version)

# Kafka's default message.max.bytes is 1 MiB; keep headroom for the key, headers and batch framing.
MAX_EVENT_BYTES = 900_000


def append(
    cur: psycopg2.extensions.cursor, envelopes: Sequence[Envelope], topic: str | None, then: Sequence[bytes] = ()
) -> None:
    """Store events and, when `topic` is given, queue them for Kafka, inside the caller's transaction.

    One round trip: savepoint, events, outbox rows and release go as one query string, so a command
    pays for the append once rather than four times (a busy 2-core machine charges each trip).
    `then` (bound statements, e.g. from `db.StatementBatch`) rides along after the events: the
    writer's read-model updates."""
    if not envelopes:
        if then:
            cur.execute(b"; ".join(then))
        return
    messages = [e.to_bytes() for e in envelopes]
    for envelope, message in zip(envelopes, messages, strict=True):
        if len(message) > MAX_EVENT_BYTES:
            raise EventTooLarge(
                f"{envelope.event_type} would be larger than {MAX_EVENT_BYTES} bytes on Kafka; send less at once"
            )
    statements = [b"SAVEPOINT append_events", _INSERT_EVENTS + _values(cur, _EVENT_ROW, map(_event_row, envelopes))]
    if topic is not None:
        statements.append(
            _INSERT_OUTBOX
            + _values(cur, _OUTBOX_ROW, (_outbox_row(e, topic, m) for e, m in zip(envelopes, messages, strict=True)))
        )
    statements.append(b"RELEASE SAVEPOINT append_events")
    statements.extend(then)
    try:
        cur.execute(b"; ".join(statements))
    except psycopg2.errors.UniqueViolation as exc:
        if exc.diag.constraint_name != VERSION_CONSTRAINT:
            raise
        # the savepoint ran before the failing insert, so the transaction stays usable
        cur.execute("ROLLBACK TO SAVEPOINT append_events")
        raise ConcurrencyConflict(str(exc.diag.message_detail or exc)) from exc


_INSERT_EVENTS = (
    b"INSERT INTO events (event_id, aggregate_type, aggregate_id, aggregate_version, event_type,"
    b" schema_version, occurred_at, recorded_at, envelope) VALUES "
)
_EVENT_ROW = "(%s, %s, %s, %s, %s, %s, %s, %s, %s)"
_INSERT_OUTBOX = b"INSERT INTO outbox (event_id, topic, message_key, message, headers) VALUES "
_OUTBOX_ROW = "(%s, %s, %s, %s, %s)"

# One row's values, in the column order of _INSERT_EVENTS and _INSERT_OUTBOX.
_EventRow = tuple[UUID, str, str, int, str, int, datetime, datetime, psycopg2.extras.Json]
_OutboxRow = tuple[UUID, str, bytes, bytes, str]


def _values(cur: psycopg2.extensions.cursor, template: str, rows: Iterable[_EventRow | _OutboxRow]) -> bytes:
    return b",".join(cur.mogrify(template, row) for row in rows)


def _outbox_row(e: Envelope, topic: str, message: bytes) -> _OutboxRow:
    return (e.event_id, topic, e.key, message, json.dumps([[k, v.decode()] for k, v in e.kafka_headers()]))


def enqueue_record(cur: psycopg2.extensions.cursor, topic: str, key: bytes, value: bytes | None) -> None:
    """Queue a keyed record for a compacted topic, inside the caller's transaction: not an event (the
    event store never sees it, so it can be taken back), only an outbox row the relay publishes in
    order with the rest; `value` None is a tombstone, which needs the outbox's `message` column to allow
    NULL (revision referral-0009 allows it in the referral database, the one service sending them).
    The row's `event_id` is only the outbox's own id."""
    if value is not None and len(value) > MAX_EVENT_BYTES:
        raise EventTooLarge(f"a record for {topic} would be larger than {MAX_EVENT_BYTES} bytes on Kafka")
    cur.execute(
        "INSERT INTO outbox (event_id, topic, message_key, message) VALUES (%s, %s, %s, %s)",
        (new_event_id(), topic, key, value),
    )


def forget_records(cur: psycopg2.extensions.cursor, topic: str, key: bytes) -> int:
    """Delete the outbox's copies of a compacted topic's records under `key`, published or not (the
    outbox keeps published rows): what a tombstone takes back from Kafka goes from here too. Returns
    how many went. A row the relay is sending at this moment still reaches Kafka before the tombstone
    queued after it (id order)."""
    cur.execute("DELETE FROM outbox WHERE topic = %s AND message_key = %s", (topic, key))
    return cur.rowcount


def load(cur: psycopg2.extensions.cursor, aggregate_id: str, *, from_version: int = 1) -> list[Envelope]:
    """The events of one aggregate from `from_version` on (all of them by default), in version order."""
    cur.execute(
        "SELECT envelope FROM events WHERE aggregate_id = %s AND aggregate_version >= %s ORDER BY aggregate_version",
        (aggregate_id, from_version),
    )
    return [Envelope.model_validate(row[0]) for row in cur.fetchall()]


def current_version(cur: psycopg2.extensions.cursor, aggregate_id: str) -> int:
    cur.execute("SELECT coalesce(max(aggregate_version), 0) FROM events WHERE aggregate_id = %s", (aggregate_id,))
    row = cur.fetchone()
    assert row is not None  # an aggregate without GROUP BY always answers one row
    return int(row[0])


def _event_row(e: Envelope) -> _EventRow:
    # instants go to PostgreSQL in UTC: it refuses offsets beyond ±15:59 that Python allows
    return (
        e.event_id,
        e.aggregate_type,
        e.aggregate_id,
        e.aggregate_version,
        e.event_type,
        e.schema_version,
        e.occurred_at.astimezone(UTC),
        e.recorded_at.astimezone(UTC),
        psycopg2.extras.Json(e.model_dump(mode="json")),
    )
