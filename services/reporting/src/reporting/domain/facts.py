"""Bitemporal facts: every event the reporting service keeps, with both of its times.

`occurred_at` is business time (when it happened), `recorded_at` system time (when the platform
learnt it). Asking "as known at T" means folding only facts with `recorded_at <= T`. Facts of one
case are folded in their per-key (Kafka partition) order: the order they are given in, made
stable by `recorded_at`. Facts of different cases never affect each other's fold, so any
interleaving that keeps each case's order gives the same answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from contracts.events import EventPayload, event_class


@dataclass(frozen=True)
class Fact:
    event_id: UUID
    event_type: str
    schema_version: int
    case_id: str  # the aggregate id whose order matters (case id = referral id)
    occurred_at: datetime
    recorded_at: datetime
    payload: Mapping[str, Any] = field(hash=False, compare=False)

    def typed(self) -> EventPayload:
        """The payload as its contracts model (validated)."""
        return event_class(self.event_type, self.schema_version).model_validate(dict(self.payload))


def known_by(facts: Iterable[Fact], known_at: datetime) -> list[Fact]:
    return [fact for fact in facts if fact.recorded_at <= known_at]


def by_case(facts: Iterable[Fact]) -> dict[str, list[Fact]]:
    """Facts grouped by case, each case's facts in recorded order (stable: ties keep given order)."""
    grouped: dict[str, list[Fact]] = {}
    for fact in facts:
        grouped.setdefault(fact.case_id, []).append(fact)
    return {case_id: sorted(items, key=lambda f: f.recorded_at) for case_id, items in sorted(grouped.items())}
