"""A case's events in the event store (and its outbox), and the fold back into a Case."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from contracts import Envelope
from contracts.codec import decode, encode
from contracts.events import EventPayload
from engagement.adapters.case_cache import CaseCache
from engagement.domain import Case, occurred_at
from linkwell_runtime import eventstore

PRODUCER = "engagement"


@dataclass(frozen=True)
class Stamp:
    """System time and the causal chain every envelope of one command shares."""

    recorded_at: datetime
    correlation_id: UUID | None = None
    causation_id: UUID | None = None


def load_case(cur, case_id: UUID) -> tuple[Case, list[Envelope]]:
    """The case folded from all its events (an empty Case when there is none), and the envelopes."""
    envelopes = eventstore.load(cur, str(case_id))
    return Case.from_events(_payloads(envelopes)), envelopes


def load_current(cur, case_id: UUID, cache: CaseCache | None) -> Case:
    """The case as stored now, for a command: the cached fold brought up to date when the store still
    holds its last event, else a fold of every event. Cached again as loaded."""
    cached = cache.get(case_id) if cache is not None else None
    if cached is not None:
        case, last_event_id = cached
        tail = eventstore.load(cur, str(case_id), from_version=case.version)
        if tail and tail[0].aggregate_version == case.version and tail[0].event_id == last_event_id:
            if len(tail) > 1:
                case = case.apply_all(_payloads(tail[1:]))
                cache.put(case, tail[-1].event_id)
            return case
        cache.forget(case_id)
    case, envelopes = load_case(cur, case_id)
    if cache is not None and envelopes:
        cache.put(case, envelopes[-1].event_id)
    return case


def append(cur, case: Case, events: Sequence[EventPayload], stamp: Stamp, topic: str,
           then: Sequence[bytes] = ()) -> list[Envelope]:
    """Store the events after the case's current version and queue them for Kafka (same transaction);
    `then`: bound read-model statements sent in the same round trip."""
    aggregate_id = str(getattr(events[0], "case_id")) if events else ""
    envelopes = [
        encode(event, aggregate_id=aggregate_id, aggregate_version=case.version + i, occurred_at=occurred_at(event),
               recorded_at=stamp.recorded_at, producer=PRODUCER, correlation_id=stamp.correlation_id,
               causation_id=stamp.causation_id)
        for i, event in enumerate(events, start=1)
    ]
    eventstore.append(cur, envelopes, topic, then=then)
    return envelopes


def _payloads(envelopes: Sequence[Envelope]) -> list[EventPayload]:
    return [decode(e.to_bytes())[1] for e in envelopes]
