"""Action plans (docs/domain.md §4.4): the steps under a goal, each with what (kept by the service),
by when and a status: planned → in_progress → done | dropped, and planned → done | dropped; the last
two are final. A step is overdue from the day after its due date while it, its goal and the case are
open. Pure: today is passed in."""

from __future__ import annotations

from datetime import date
from types import MappingProxyType

from contracts.casework import StepStatus as St
from engagement.domain.case_state import CaseState
from engagement.domain.casework_records import StepRecord
from engagement.domain.errors import InvalidTransition

STEP_TRANSITIONS = MappingProxyType(
    {
        St.PLANNED: frozenset({St.IN_PROGRESS, St.DONE, St.DROPPED}),
        St.IN_PROGRESS: frozenset({St.DONE, St.DROPPED}),
        St.DONE: frozenset(),
        St.DROPPED: frozenset(),
    }
)


def ensure_step_transition(from_status: St, to_status: St) -> None:
    if to_status not in STEP_TRANSITIONS[from_status]:
        raise InvalidTransition("step", from_status, to_status)


def live_steps(case: CaseState) -> list[StepRecord]:
    """Open steps of open goals in an open case: the ones that can fall due."""
    if not case.is_open:
        return []
    return [s for s in case.steps if s.is_open and (g := case.goal(s.goal_id)) is not None and g.is_open]


def next_step_due_on(case: CaseState) -> date | None:
    return min((s.due_on for s in live_steps(case)), default=None)


def is_step_overdue(case: CaseState, step: StepRecord, today: date) -> bool:
    return step in live_steps(case) and today > step.due_on


def overdue_steps(case: CaseState, today: date) -> list[StepRecord]:
    return [s for s in live_steps(case) if today > s.due_on]
