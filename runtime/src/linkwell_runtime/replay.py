"""Reading the log again, for a service's rebuild (`<service>.entrypoints.rebuild`, `linkwell rebuild`):
its own event store in order, or the topics it consumes from the beginning to their current end.

Every rebuild has the same shape: `total_events(settings) -> int` (for the progress bar) and
`rebuild(settings, progress=None) -> dict[str, int]`, which empties the service's derived tables and
applies the events again in ONE transaction, calling `progress(n)` after each `n` events applied.
The tables are emptied with TRUNCATE, whose lock makes a live write to them (an API request) wait
for the rebuild to commit and then land on the rebuilt rows: nothing is lost between the two.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from uuid import uuid4

import psycopg2.extensions
from kafka import KafkaConsumer, TopicPartition

from contracts import Envelope
from contracts.codec import decode
from contracts.events import EventPayload
from linkwell_runtime import db
from linkwell_runtime.consumer import Message
from linkwell_runtime.kafka_auth import KafkaCredentials, connection

Progress = Callable[[int], None]
Stored = tuple[Envelope, EventPayload]


def empty(cur: psycopg2.extensions.cursor, tables: Sequence[str]) -> None:
    """Empty the derived tables (their rows come back from the events), in the rebuild's transaction."""
    cur.execute(f"TRUNCATE {', '.join(tables)}")  # names are the service's own constants, never input


def stored_event_count(dsn: str, aggregate_types: Sequence[str] | None = None) -> int:
    conn = db.connect(dsn)
    try:
        with db.transaction(conn) as cur:
            if aggregate_types is None:
                cur.execute("SELECT count(*) FROM events")
            else:
                cur.execute("SELECT count(*) FROM events WHERE aggregate_type = ANY(%s)", (list(aggregate_types),))
            row = cur.fetchone()
    finally:
        conn.close()
    return int(row[0]) if row else 0


def stored_events(
    cur: psycopg2.extensions.cursor,
    batch_size: int,
    *,
    aggregate_types: Sequence[str] | None = None,
    by_aggregate: bool = False,
) -> Iterator[list[Stored]]:
    """The event store in batches, upcast and typed, in the transaction of `cur` (a server-side
    cursor: the store is never held in memory whole): in `position` order, or with `by_aggregate`
    each aggregate's events together in version order."""
    order = "aggregate_id, aggregate_version" if by_aggregate else "position"
    where, params = (
        ("", ()) if aggregate_types is None else ("WHERE aggregate_type = ANY(%s)", (list(aggregate_types),))
    )
    with cur.connection.cursor(name=f"replay_{uuid4().hex[:12]}") as reader:
        reader.itersize = batch_size
        reader.execute(f"SELECT envelope FROM events {where} ORDER BY {order}", params)
        while rows := reader.fetchmany(batch_size):
            yield [_typed(row[0]) for row in rows]


def _typed(stored: object) -> Stored:
    """A stored event, upcast and typed: the service wrote it, so an unregistered type is a defect
    that stops the rebuild (its transaction rolls back, the tables as they were)."""
    envelope, payload = decode(json.dumps(stored).encode())
    if payload is None:
        raise ValueError(f"stored event {envelope.event_id} has an unregistered type {envelope.event_type}")
    return envelope, payload


def _partitions(consumer: KafkaConsumer, topic: str, wait_seconds: float = 10.0) -> set[int]:
    """The topic's partitions: an unknown topic is an error, never an empty history (kafka-python
    answers an empty set until the broker's metadata names a topic just created)."""
    deadline = time.monotonic() + wait_seconds
    while True:
        numbers = consumer.partitions_for_topic(topic)
        if numbers:
            return set(numbers)
        if time.monotonic() > deadline:
            raise LookupError(f"topic {topic!r} does not exist")
        consumer.topics()  # fetches the broker's metadata again
        time.sleep(0.2)


def count_to_end(bootstrap: str, topics: Sequence[str], credentials: KafkaCredentials | None = None) -> int:
    """How many messages `read_to_end` would read now: every partition's end offset minus its beginning."""
    consumer = KafkaConsumer(**connection(bootstrap, credentials), enable_auto_commit=False, group_id=None)
    try:
        partitions = [TopicPartition(t, p) for t in topics for p in sorted(_partitions(consumer, t))]
        first, end = consumer.beginning_offsets(partitions), consumer.end_offsets(partitions)
        return sum(end[tp] - first[tp] for tp in partitions)
    finally:
        consumer.close()


def read_to_end(
    bootstrap: str, topics: Sequence[str], batch_size: int = 1000, credentials: KafkaCredentials | None = None
) -> Iterator[list[Message]]:
    """Batches of messages, every partition of every topic up to the end offsets seen at the start (no
    consumer group, nothing committed). Each partition's order is kept: each key's order, which is all
    the handlers rely on. `credentials`: the service's own principal (its settings), which may read
    what it consumes; from the environment unless given."""
    consumer = KafkaConsumer(
        **connection(bootstrap, credentials),
        enable_auto_commit=False,
        group_id=None,
        max_partition_fetch_bytes=4 * 1024 * 1024,  # whole batches in few fetches (a replay, not a live tail)
        fetch_max_bytes=64 * 1024 * 1024,
    )
    try:
        partitions = [TopicPartition(t, p) for t in topics for p in sorted(_partitions(consumer, t))]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        end = consumer.end_offsets(partitions)
        pending = {tp for tp in partitions if consumer.position(tp) < end[tp]}
        while pending:
            batch: list[Message] = []
            for tp, records in consumer.poll(timeout_ms=500, max_records=batch_size).items():
                batch += [
                    Message(
                        r.topic, r.partition, r.offset, r.key, r.value, tuple((k, bytes(v)) for k, v in r.headers or ())
                    )
                    for r in records
                    if r.offset < end[tp]
                ]
                if consumer.position(tp) >= end[tp]:
                    consumer.pause(tp)
            pending = {tp for tp in pending if consumer.position(tp) < end[tp]}
            if batch:
                yield batch
    finally:
        consumer.close()


def row_counts(cur: psycopg2.extensions.cursor, tables: Sequence[str]) -> dict[str, int]:
    """How many rows each table holds (a rebuild's summary)."""
    counts = {}
    for table in tables:
        cur.execute(f"SELECT count(*) FROM {table}")  # the service's own table names, never input
        row = cur.fetchone()
        counts[table] = int(row[0]) if row else 0
    return counts
