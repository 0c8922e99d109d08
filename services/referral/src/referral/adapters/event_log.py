"""The referral service's event store access: load aggregates, append and project in one transaction."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from contracts import Envelope
from contracts.codec import decode, encode
from contracts.events import EventPayload
from linkwell_runtime import db, eventstore
from referral.adapters.projection import project
from referral.domain import Referral

PRODUCER = "referral"


@dataclass(frozen=True)
class Stamp:
    """Who and when for the events of one command: business time, server time, the causing message."""

    occurred_at: datetime
    recorded_at: datetime
    correlation_id: UUID | None = None
    causation_id: UUID | None = None


class EventLog:
    """One transaction's view of the event store; every append also updates the read model."""

    def __init__(self, cur, topic: str) -> None:
        self.cur = cur
        self._topic = topic

    def load_referral(self, referral_id: UUID | str) -> Referral:
        return Referral.from_events(_payloads(eventstore.load(self.cur, str(referral_id))))

    def version_of(self, aggregate_id: str) -> int:
        return eventstore.current_version(self.cur, aggregate_id)

    def append(self, aggregate_id: str, after_version: int, events: Sequence[EventPayload], stamp: Stamp) -> list[Envelope]:
        envelopes = [
            encode(event, aggregate_id=aggregate_id, aggregate_version=after_version + i,
                   occurred_at=stamp.occurred_at, recorded_at=stamp.recorded_at, producer=PRODUCER,
                   correlation_id=stamp.correlation_id, causation_id=stamp.causation_id)
            for i, event in enumerate(events, start=1)
        ]
        read_model = db.StatementBatch(self.cur)  # sent with the events: one round trip for both
        for envelope, event in zip(envelopes, events, strict=True):
            project(read_model, envelope, event)
        eventstore.append(self.cur, envelopes, self._topic, then=read_model.statements)
        return envelopes


def _payloads(envelopes: Sequence[Envelope]) -> list[EventPayload]:
    return [decode(e.to_bytes())[1] for e in envelopes]
