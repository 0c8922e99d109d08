"""A case's state as a fold over its events; every event applied adds one to the version."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Self

from contracts.engagement import CaseOpened
from contracts.events import EventPayload
from engagement.domain.case_evolve import evolve
from engagement.domain.case_state import CaseState


class CaseFold(CaseState):
    @classmethod
    def from_events(cls, events: Iterable[EventPayload]) -> Self:
        return cls().apply_all(events)

    def apply_all(self, events: Iterable[EventPayload]) -> Self:
        state = self
        for event in events:
            state = state.apply(event)
        return state

    def apply(self, event: EventPayload) -> Self:
        if self.case_id is None and not isinstance(event, CaseOpened):
            raise ValueError(f"a case's history starts with CaseOpened, not {event.event_type}")
        if self.case_id is not None and isinstance(event, CaseOpened):
            raise ValueError("a case opens once")
        if self.case_id is not None and getattr(event, "case_id", None) != self.case_id:
            raise ValueError(f"{event.event_type} belongs to another case")
        return evolve(self, event)
