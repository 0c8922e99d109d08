"""What a case keeps of its consents, preferences, safeguarding concerns and action-plan steps (issue
18): pieces of its state, built by the fold (`case_evolve`) and read by `consent`, `safeguarding` and
`action_plans`. Codes and dates only: the free text that goes with them stays in the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from contracts.casework import (
    AccessibilityNeed,
    ConcernOutcome,
    ConsentKind,
    ConsentState,
    ContactPreferenceMode,
    ContactTime,
    EscalatedTo,
    RiskLevel,
    SafeguardingCategory,
    StepStatus,
)


@dataclass(frozen=True)
class ConsentRecord:
    consent: ConsentKind
    state: ConsentState
    on: date


@dataclass(frozen=True)
class PreferencesRecord:
    contact_modes: tuple[ContactPreferenceMode, ...]
    contact_times: tuple[ContactTime, ...]
    language: str | None
    interpreter_needed: bool
    accessibility_needs: tuple[AccessibilityNeed, ...]
    has_accessibility_note: bool
    recorded_on: date


@dataclass(frozen=True)
class Escalation:
    to: EscalatedTo
    on: date


@dataclass(frozen=True)
class ConcernRecord:
    concern_id: UUID
    category: SafeguardingCategory
    risk_level: RiskLevel
    immediate_action_taken: bool
    raised_on: date
    escalations: tuple[Escalation, ...] = ()
    closed_on: date | None = None
    outcome: ConcernOutcome | None = None

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def last_changed_on(self) -> date:
        days = [self.raised_on, *(e.on for e in self.escalations)]
        return max(days) if self.closed_on is None else self.closed_on


@dataclass(frozen=True)
class StepChange:
    from_status: StepStatus
    to_status: StepStatus
    due_on: date
    on: date


@dataclass(frozen=True)
class StepRecord:
    step_id: UUID
    goal_id: UUID
    due_on: date
    added_on: date
    status: StepStatus = StepStatus.PLANNED
    history: tuple[StepChange, ...] = ()

    @property
    def last_changed_on(self) -> date:
        return self.history[-1].on if self.history else self.added_on

    @property
    def is_open(self) -> bool:
        return self.status in (StepStatus.PLANNED, StepStatus.IN_PROGRESS)
