"""A case in the event store: its events through the runtime's repository, folded into a Case (from
the process's cache when that is still what the store holds), and appended with its `cases` row."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from contracts import Envelope
from contracts.events import EventPayload
from engagement.adapters import read_model
from engagement.adapters.case_cache import CaseCache
from engagement.domain import Case, occurred_at
from linkwell_runtime import db
from linkwell_runtime.repository import EventRepository, Stamp, payloads


def load_case(events: EventRepository, case_id: UUID) -> tuple[Case, list[Envelope]]:
    """The case folded from all its events (an empty Case when there is none), and the envelopes."""
    envelopes = events.envelopes(case_id)
    return Case.from_events(payloads(envelopes)), envelopes


def load_current(events: EventRepository, case_id: UUID, cache: CaseCache | None) -> Case:
    """The case as stored now, for a command: the cached fold brought up to date when the store still
    holds its last event, else a fold of every event. Cached again as loaded."""
    if cache is None:
        return load_case(events, case_id)[0]
    cached = cache.get(case_id)
    if cached is not None:
        case, last_event_id = cached
        tail = events.envelopes(case_id, from_version=case.version)
        if tail and tail[0].aggregate_version == case.version and tail[0].event_id == last_event_id:
            if len(tail) > 1:
                case = case.apply_all(payloads(tail[1:]))
                cache.put(case, tail[-1].event_id)
            return case
        cache.forget(case_id)
    case, envelopes = load_case(events, case_id)
    if envelopes:
        cache.put(case, envelopes[-1].event_id)
    return case


def append(
    events: EventRepository, case: Case, new: Sequence[EventPayload], stamp: Stamp
) -> tuple[Case, list[Envelope]]:
    """Store `new` after the case's version (each dated by its own business time) with the case's
    `cases` row, in one round trip; the case after them, and their envelopes."""
    after = case.apply_all(new)
    row = db.StatementBatch(events.cur)
    read_model.project(row, after)
    envelopes = events.append(
        str(after.case_id), case.version, new, stamp, occurred_at=occurred_at, then=row.statements
    )
    return after, envelopes
