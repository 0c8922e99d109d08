"""A tiny service used to prove the backbone: a state table, its events, and a consumer whose
effects would show any loss, duplicate or reordering (no unique key hides a double apply)."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg2.extras

from contracts import Envelope, new_event_id
from linkwell_runtime import db, eventstore, migrations
from linkwell_runtime.consumer import PoisonEvent

SCHEMA = """
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS effects (
    id BIGSERIAL PRIMARY KEY, event_id UUID NOT NULL, aggregate_id TEXT NOT NULL,
    aggregate_version INTEGER NOT NULL, amount INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS stream_heads (
    aggregate_id TEXT PRIMARY KEY, last_version INTEGER NOT NULL, out_of_order INTEGER NOT NULL DEFAULT 0);
"""


def prepare(dsn: str) -> None:
    migrations.migrate(dsn, migrations.sources(None))  # the runtime's tables
    conn = db.connect(dsn)
    with db.transaction(conn) as cur:
        cur.execute(SCHEMA)
    conn.close()


def counted(aggregate_id: str, version: int, amount: int = 1, event_type: str = "CounterIncremented") -> Envelope:
    now = datetime.now(UTC)
    return Envelope(
        event_id=new_event_id(),
        event_type=event_type,
        schema_version=1,
        aggregate_type="counter",
        aggregate_id=aggregate_id,
        aggregate_version=version,
        occurred_at=now,
        recorded_at=now,
        producer="backbone-test",
        payload={"amount": amount},
    )


def increment(cur, aggregate_id: str, version: int, topic: str, amount: int = 1) -> Envelope:
    """The write path: the state change and its event in the caller's transaction."""
    cur.execute(
        "INSERT INTO counters (name, value) VALUES (%s, %s)"
        " ON CONFLICT (name) DO UPDATE SET value = counters.value + EXCLUDED.value",
        (aggregate_id, amount),
    )
    event = counted(aggregate_id, version, amount)
    eventstore.append(cur, [event], topic)
    return event


def record_effect(cur, envelope: Envelope, payload) -> None:
    """The consumer's effect: one row per application, plus a per-stream order check."""
    if envelope.payload.get("poison"):
        raise PoisonEvent("this event asks to be refused")
    cur.execute(
        "INSERT INTO effects (event_id, aggregate_id, aggregate_version, amount) VALUES (%s, %s, %s, %s)",
        (envelope.event_id, envelope.aggregate_id, envelope.aggregate_version, envelope.payload["amount"]),
    )
    cur.execute(
        "INSERT INTO stream_heads (aggregate_id, last_version, out_of_order) VALUES (%(a)s, %(v)s, (%(v)s <> 1)::int)"
        " ON CONFLICT (aggregate_id) DO UPDATE SET last_version = %(v)s,"
        " out_of_order = stream_heads.out_of_order + (stream_heads.last_version + 1 <> %(v)s)::int",
        {"a": envelope.aggregate_id, "v": envelope.aggregate_version},
    )


def record_effects(cur, items) -> None:
    """The same effect as a batch handler: one multi-row insert for the whole batch."""
    if any(item.envelope.payload.get("poison") for item in items):
        raise PoisonEvent("this batch holds an event that asks to be refused")
    psycopg2.extras.execute_values(
        cur,
        "INSERT INTO effects (event_id, aggregate_id, aggregate_version, amount) VALUES %s",
        [
            (i.envelope.event_id, i.envelope.aggregate_id, i.envelope.aggregate_version, i.envelope.payload["amount"])
            for i in items
        ],
    )
    for item in items:
        cur.execute(
            "INSERT INTO stream_heads (aggregate_id, last_version, out_of_order) VALUES (%(a)s, %(v)s, (%(v)s <> 1)::int)"
            " ON CONFLICT (aggregate_id) DO UPDATE SET last_version = %(v)s,"
            " out_of_order = stream_heads.out_of_order + (stream_heads.last_version + 1 <> %(v)s)::int",
            {"a": item.envelope.aggregate_id, "v": item.envelope.aggregate_version},
        )
