"""A Kafka message as the consumer and the dead-letter sink both see it (no faust or kafka types)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Message:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None  # None: a tombstone (compacted topics only; an event topic dead-letters one)
    headers: tuple[tuple[str, bytes], ...] = ()
