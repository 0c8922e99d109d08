"""The consumer's `processed_events` rows, emptied before a rebuild (`linkwell_runtime.consumer.mark_processed`
records the events this service applied itself)."""

from __future__ import annotations

from typing import Any

from linkwell_runtime import positions


def forget_processed(cur: Any, consumer: str) -> None:
    """Before a rebuild: the consumer has applied nothing."""
    cur.execute("DELETE FROM processed_events WHERE consumer = %s", (consumer,))
    positions.forget(cur, consumer)
