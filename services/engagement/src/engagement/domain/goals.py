"""Goals and action plans (docs/domain.md §4): agreed → in_progress → achieved | revised | abandoned.

A goal may be achieved, revised or abandoned straight from `agreed` (a small step can be met
before anyone marks it started). The three outcomes are final. A revised goal is closed and
superseded by a new goal that names it (`GoalAgreed.supersedes_goal_id`): the chain is the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from uuid import UUID

from contracts.engagement import GoalStatus as G
from contracts.engagement import StarArea
from engagement.domain.errors import InvalidTransition

GOAL_TRANSITIONS = MappingProxyType(
    {
        G.AGREED: frozenset({G.IN_PROGRESS, G.ACHIEVED, G.REVISED, G.ABANDONED}),
        G.IN_PROGRESS: frozenset({G.ACHIEVED, G.REVISED, G.ABANDONED}),
        G.ACHIEVED: frozenset(),
        G.REVISED: frozenset(),
        G.ABANDONED: frozenset(),
    }
)


def ensure_goal_transition(from_status: G, to_status: G) -> None:
    if to_status not in GOAL_TRANSITIONS[from_status]:
        raise InvalidTransition("goal", from_status, to_status)


@dataclass(frozen=True)
class StatusChange:
    from_status: str
    to_status: str
    on: date


@dataclass(frozen=True)
class GoalRecord:
    goal_id: UUID
    star_areas: tuple[StarArea, ...]
    target_date: date | None
    agreed_on: date
    supersedes_goal_id: UUID | None = None
    status: G = G.AGREED
    history: tuple[StatusChange, ...] = ()

    @property
    def last_changed_on(self) -> date:
        return self.history[-1].on if self.history else self.agreed_on

    @property
    def is_open(self) -> bool:
        return bool(GOAL_TRANSITIONS[self.status])
