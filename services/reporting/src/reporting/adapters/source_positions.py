"""How far reporting's consumer has applied its source topics, against where they end in Kafka now,
and the positions a closed claim was built on (`claim_positions`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from linkwell_runtime import positions
from linkwell_runtime.positions import PartitionPosition
from reporting.config import Settings


def now(cur: Any, settings: Settings) -> list[PartitionPosition]:
    """Every partition of the consumed topics: applied (from the database) and end (from Kafka)."""
    applied = positions.applied(cur, settings.consumer_name)
    return positions.compare(applied, positions.end_offsets(settings.kafka_bootstrap_servers, settings.consumed_topics))


def store(cur: Any, period: str, at_close: Sequence[PartitionPosition]) -> None:
    for p in at_close:
        cur.execute(
            "INSERT INTO claim_positions (period, topic, kafka_partition, applied_offset) VALUES (%s, %s, %s, %s)",
            (period, p.topic, p.partition, p.applied),
        )


def of_claims(cur: Any) -> dict[str, list[dict[str, Any]]]:
    """Each claim's positions at closing (claims closed before positions were kept have none)."""
    cur.execute(
        "SELECT period, topic, kafka_partition, applied_offset FROM claim_positions ORDER BY period, topic, kafka_partition"
    )
    found: dict[str, list[dict[str, Any]]] = {}
    for period, topic, partition, offset in cur.fetchall():
        found.setdefault(period, []).append({"topic": topic, "partition": partition, "applied_offset": offset})
    return found
