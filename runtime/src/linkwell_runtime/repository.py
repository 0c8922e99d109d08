"""The event-sourced repository every service's writes go through: load an aggregate's events,
append new ones with their stamp (outbox and read-model rows in the same round trip), retry a lost race.

Services keep their own folds (`Referral.from_events`, `Case.from_events`, ...); the repository only
moves events in and out of the store, so every writer encodes envelopes the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar
from uuid import UUID

import psycopg2.extensions

from contracts import Envelope
from contracts.codec import decode, encode
from contracts.events import EventPayload
from linkwell_runtime import db, eventstore
from linkwell_runtime.eventstore import ConcurrencyConflict

T = TypeVar("T")

# Writes one event's read-model rows: (statements to send with the append, its envelope, its payload).
Projector = Callable[[db.StatementBatch, Envelope, EventPayload], None]


@dataclass(frozen=True)
class Stamp:
    """When and why, for the events of one command: server time, business time (when the cause
    happened, if not now), and the message that caused them."""

    recorded_at: datetime
    occurred_at: datetime | None = None
    correlation_id: UUID | None = None
    causation_id: UUID | None = None


class EventRepository:
    """One transaction's view of a service's event store: what it loads and appends, under one
    producer name, published to one topic (None: stored only, never sent to Kafka)."""

    def __init__(
        self, cur: psycopg2.extensions.cursor, *, producer: str, topic: str | None, project: Projector | None = None
    ) -> None:
        self.cur = cur
        self.producer = producer
        self.topic = topic
        self._project = project

    def envelopes(self, aggregate_id: UUID | str, *, from_version: int = 1) -> list[Envelope]:
        """The aggregate's stored events from `from_version` on, in version order."""
        return eventstore.load(self.cur, str(aggregate_id), from_version=from_version)

    def events(self, aggregate_id: UUID | str) -> list[EventPayload]:
        """The aggregate's events as typed payloads, in version order: what a fold takes."""
        return payloads(self.envelopes(aggregate_id))

    def version_of(self, aggregate_id: UUID | str) -> int:
        return eventstore.current_version(self.cur, str(aggregate_id))

    def append(
        self,
        aggregate_id: UUID | str,
        after_version: int,
        events: Sequence[EventPayload],
        stamp: Stamp,
        *,
        occurred_at: Callable[[EventPayload], datetime] | None = None,
        then: Sequence[bytes] = (),
    ) -> list[Envelope]:
        """Store `events` as versions after `after_version` and queue them for Kafka, in the caller's
        transaction, with the read-model rows (the repository's projector, then `then`) in the same
        round trip. A concurrent writer that got there first raises ConcurrencyConflict.

        `occurred_at` gives an event's business time from its payload (else the stamp's, else now)."""
        envelopes = [
            encode(
                event,
                aggregate_id=aggregate_id,
                aggregate_version=after_version + i,
                occurred_at=occurred_at(event) if occurred_at else stamp.occurred_at or stamp.recorded_at,
                recorded_at=stamp.recorded_at,
                producer=self.producer,
                correlation_id=stamp.correlation_id,
                causation_id=stamp.causation_id,
            )
            for i, event in enumerate(events, start=1)
        ]
        read_model = db.StatementBatch(self.cur)
        if self._project is not None:
            for envelope, event in zip(envelopes, events, strict=True):
                self._project(read_model, envelope, event)
        eventstore.append(self.cur, envelopes, self.topic, then=[*read_model.statements, *then])
        return envelopes


def payloads(envelopes: Sequence[Envelope]) -> list[EventPayload]:
    """Typed payloads of stored envelopes (upcast to the current schema version)."""
    return [_payload(e) for e in envelopes]


def _payload(envelope: Envelope) -> EventPayload:
    payload = decode(envelope.to_bytes())[1]
    if payload is None:
        raise ValueError(f"stored event {envelope.event_id} has an unregistered type {envelope.event_type}")
    return payload


def retrying_on_conflict(action: Callable[[], T], attempts: int = 2) -> T:
    """Run `action` (which loads, decides and appends); if a concurrent writer appended first, run it
    again. The failed append rolled back to its savepoint, so the transaction is still usable."""
    for attempt in range(1, attempts + 1):
        try:
            return action()
        except ConcurrencyConflict:
            if attempt == attempts:
                raise
    raise AssertionError("unreachable")
