"""The consumer's `processed_events` rows for events this service applied itself.

An accepted commissioner upload is applied in its own transaction and also published to the topic
the consumer reads (for rebuilds): recording its events as processed under the consumer's name, in
that same transaction, makes the consumer skip them when they come back. (Partition and offset are
-1: the event never came from Kafka.)
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg2.extras

from contracts import Envelope


def mark_processed(cur: Any, consumer: str, envelopes: Sequence[Envelope], topic: str) -> None:
    if not envelopes:
        return
    psycopg2.extras.execute_values(
        cur, "INSERT INTO processed_events (consumer, event_id, topic, kafka_partition, kafka_offset)"
             " VALUES %s ON CONFLICT DO NOTHING",
        [(consumer, envelope.event_id, topic, -1, -1) for envelope in envelopes])


def forget_processed(cur: Any, consumer: str) -> None:
    """Before a rebuild: the consumer has applied nothing."""
    cur.execute("DELETE FROM processed_events WHERE consumer = %s", (consumer,))
