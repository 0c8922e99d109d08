"""Command handlers: load the case (from the cache when it is current), check access, let the domain
decide, store events + read model.

Each runs inside the caller's transaction (the unit of work's); events, outbox rows, the `cases` row
and any free text are written together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar
from uuid import UUID

from contracts import Envelope
from contracts.envelope import new_event_id
from contracts.events import EventPayload
from contracts.roles import Role
from engagement.adapters import case_store, case_texts
from engagement.domain import Case
from engagement.service_layer.access import ensure_role, ensure_visible
from engagement.service_layer.unit_of_work import EngagementUnitOfWork
from linkwell_runtime.auth import Principal
from linkwell_runtime.repository import retrying_on_conflict

E = TypeVar("E", bound=EventPayload)


@dataclass(frozen=True)
class Outcome:
    case: Case  # after the events
    events: list[EventPayload]
    envelopes: list[Envelope]

    def event_id_of(self, event_type: str) -> UUID:
        return next(e.event_id for e in self.envelopes if e.event_type == event_type)

    def first(self, kind: type[E]) -> E:
        """The first event of this kind the command recorded."""
        return next(e for e in self.events if isinstance(e, kind))


def change_case(
    uow: EngagementUnitOfWork,
    principal: Principal,
    case_id: UUID,
    roles: frozenset[Role],
    decide: Callable[[Case], Sequence[EventPayload]],
) -> Outcome:
    ensure_role(principal, roles)

    def attempt() -> Outcome:
        case = case_store.load_current(uow.events, case_id, uow.cases)
        ensure_visible(principal, case)
        events = list(decide(case))
        after, envelopes = case_store.append(uow.events, case, events, uow.stamp())
        if uow.cases is not None and envelopes:
            uow.cases.put(after, envelopes[-1].event_id)  # checked against the store when next loaded
        return Outcome(after, events, envelopes)

    return retrying_on_conflict(attempt)


def keep_text(
    uow: EngagementUnitOfWork, outcome: Outcome, *, subject_id: UUID, kind: str, event_type: str, body: str | None
) -> None:
    """Store free text the events leave out, beside the event it goes with."""
    if body is not None and body.strip():
        assert outcome.case.case_id is not None  # a case that took events exists
        case_texts.add_text(
            uow.cur,
            uow.settings.key_encryption_keys,
            case_id=outcome.case.case_id,
            subject_id=subject_id,
            kind=kind,
            event_id=outcome.event_id_of(event_type),
            body=body,
            recorded_at=uow.now,
        )


def new_id() -> UUID:
    return new_event_id()  # time-ordered UUIDv7
