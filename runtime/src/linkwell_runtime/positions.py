"""How far a consumer has applied each topic partition, kept in its own database (`consumer_positions`).

The idempotent consumer moves a partition's position in the transaction that applies the batch, for
every message it was given (applied, duplicate, passed over or dead-lettered), so the position is
exactly what the database holds. `behind` compares it with the partitions' end offsets in Kafka: a
service asked to answer "as known now" with a guarantee (reporting closing a claim) first checks
that nothing already on its topics is still unapplied.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg2.extensions
import psycopg2.extras
from kafka import TopicPartition

from linkwell_runtime import db, ops
from linkwell_runtime.messages import Message


@dataclass(frozen=True)
class PartitionPosition:
    topic: str
    partition: int
    applied: int  # the next offset the consumer will apply (everything before it is applied)
    end: int  # the partition's end offset in Kafka when asked

    @property
    def behind(self) -> int:
        return max(0, self.end - self.applied)


def record(cur: psycopg2.extensions.cursor, consumer: str, messages: Iterable[Message]) -> None:
    """Move `consumer`'s positions past `messages`, in the caller's transaction (never backwards:
    a redelivered older batch leaves them where they are)."""
    furthest: dict[tuple[str, int], int] = {}
    for m in messages:
        if m.offset >= 0:
            key = (m.topic, m.partition)
            furthest[key] = max(furthest.get(key, -1), m.offset + 1)
    if furthest:
        psycopg2.extras.execute_values(
            cur,
            "INSERT INTO consumer_positions (consumer, topic, kafka_partition, next_offset) VALUES %s"
            " ON CONFLICT (consumer, topic, kafka_partition) DO UPDATE"
            " SET next_offset = GREATEST(consumer_positions.next_offset, EXCLUDED.next_offset), updated_at = now()",
            [(consumer, topic, partition, offset) for (topic, partition), offset in sorted(furthest.items())],
        )


def seed_from_group(dsn: str, consumer: str, bootstrap: str, topics: Sequence[str]) -> int:
    """At a consumer's start: a partition with no position yet starts at the group's committed offset.
    A database upgraded to positions while its consumer was already far along would otherwise count
    every partition from its beginning, and a partition that gets no new message (events the service
    recorded itself, passed over at the end) would stay "behind" for good. The group commits only what
    the consumer has applied, so this is never ahead of the database. Returns how many were seeded."""
    committed = _committed_offsets(bootstrap, consumer)
    rows = [
        (consumer, tp.topic, tp.partition, meta.offset)
        for tp, meta in committed.items()
        if tp.topic in topics and meta.offset is not None and meta.offset >= 0
    ]
    if not rows:
        return 0
    conn = db.connect(dsn)
    try:
        with db.transaction(conn) as cur:
            seeded = psycopg2.extras.execute_values(
                cur,
                "INSERT INTO consumer_positions (consumer, topic, kafka_partition, next_offset) VALUES %s"
                " ON CONFLICT (consumer, topic, kafka_partition) DO NOTHING RETURNING 1",
                rows,
                fetch=True,
            )
            return len(seeded)
    finally:
        conn.close()


def _committed_offsets(bootstrap: str, consumer: str, patience: float = 120.0) -> dict[TopicPartition, Any]:
    """The group's committed offsets; a cluster that has just started answers "not the coordinator" or
    "coordinator loading" for a while, which is a reason to ask again, not to stop."""
    committed: dict[TopicPartition, Any] = ops.ask_group(
        bootstrap, lambda admin: admin.list_consumer_group_offsets(consumer), patience
    )
    return committed


def forget(cur: psycopg2.extensions.cursor, consumer: str) -> None:
    """Before a rebuild from the beginning: the consumer has applied nothing."""
    cur.execute("DELETE FROM consumer_positions WHERE consumer = %s", (consumer,))


def applied(cur: psycopg2.extensions.cursor, consumer: str) -> dict[tuple[str, int], int]:
    cur.execute("SELECT topic, kafka_partition, next_offset FROM consumer_positions WHERE consumer = %s", (consumer,))
    return {(topic, partition): offset for topic, partition, offset in cur.fetchall()}


def end_offsets(bootstrap: str, topics: Sequence[str]) -> dict[tuple[str, int], tuple[int, int]]:
    """Each partition of `topics` with its (beginning, end) offsets now; a topic that does not exist yet
    has no partitions (nothing was ever published to it)."""
    reader = ops.kafka_reader(bootstrap)
    try:
        existing = reader.topics()  # asks the broker (a fresh client's cache may not name a new topic yet)
        partitions = ops.partitions_of(reader, [t for t in topics if t in existing])
        begin, end = reader.beginning_offsets(partitions), reader.end_offsets(partitions)
    finally:
        reader.close()
    return {(tp.topic, tp.partition): (begin[tp], end[tp]) for tp in partitions}


def compare(
    positions: dict[tuple[str, int], int], offsets: dict[tuple[str, int], tuple[int, int]]
) -> list[PartitionPosition]:
    """Every partition with where the consumer is and where Kafka ends (a partition the consumer never
    read starts at its beginning offset)."""
    return [
        PartitionPosition(topic, partition, positions.get((topic, partition), begin), end)
        for (topic, partition), (begin, end) in sorted(offsets.items())
    ]
