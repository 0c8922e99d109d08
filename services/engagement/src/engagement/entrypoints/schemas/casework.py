"""Bodies and answers of issue 18's routes (consent and preferences, safeguarding, action plans), and
the parts they add to the case's view. Codes are checked by the domain (every bad field listed, 422);
here shapes, types and the free-text cap."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

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
from engagement.domain.inputs import MAX_TEXT

FreeText = Annotated[str, Field(max_length=MAX_TEXT)]
Word = Annotated[str, Field(max_length=100)]
Words = Annotated[list[Word], Field(max_length=20)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _day(what: str) -> date | None:
    return Field(
        default=None,
        description=f"{what} (default today, Europe/London); not in the future, not before the case opened",
    )


# -- bodies --------------------------------------------------------------------------------------------


class ConsentCreate(_Body):
    consent: Word = Field(description="`service` | `share_outcomes_with_gp`")
    state: Word = Field(description="`given` | `declined` | `withdrawn`")
    on: date | None = _day("the day the patient said so; not before this consent's last change")


class PreferencesPut(_Body):
    contact_modes: Words = Field(default_factory=list, description="`phone|text|email|letter|in_person`")
    contact_times: Words = Field(
        default_factory=list, description="`weekday_morning|weekday_afternoon|weekday_evening|weekend`"
    )
    language: Annotated[str, Field(max_length=3)] | None = Field(
        default=None, description="ISO 639-1 or ISO 639-3 code (`pl`, `ur`, `bfi` for British Sign Language)"
    )
    interpreter_needed: bool = Field(default=False, strict=True)
    accessibility_needs: Words = Field(default_factory=list, description="coded needs; `other` needs a note")
    accessibility_note: FreeText | None = Field(default=None, description="kept in the service, never published")
    recorded_on: date | None = _day("the day these preferences apply from; not before the last set")


class ConcernCreate(_Body):
    category: Word = Field(description="`self_harm_or_suicide_risk|abuse|neglect|domestic_abuse|exploitation|other`")
    risk_level: Word = Field(description="`low|medium|high|immediate`")
    description: FreeText = Field(description="what was seen or said; kept in the service, never published")
    immediate_action: FreeText | None = Field(default=None, description="what was done at once, if anything")
    raised_on: date | None = _day("the day the concern was raised")


class EscalationCreate(_Body):
    escalated_to: Word = Field(description="the kind of body (e.g. `adult_social_care`, `police`, `other`)")
    detail: FreeText | None = Field(default=None, description="the team or role it went to; required for `other`")
    escalated_on: date | None = _day("the day it was escalated; not before the concern's last change")


class ConcernClosure(_Body):
    outcome: Word = Field(description="`no_further_action|resolved|handed_to_statutory_services|...|other`")
    note: FreeText | None = Field(default=None, description="required for `other`")
    closed_on: date | None = _day("the day it was closed; not before the concern's last change")


class StepCreate(_Body):
    description: FreeText = Field(description="what the patient will do; kept in the service, never published")
    due_on: date = Field(description="by when: not before `added_on`, at most two years after it")
    added_on: date | None = _day("the day the step was agreed; not before the goal was agreed")


class StepPatch(_Body):
    status: Word | None = Field(default=None, description="`planned|in_progress|done|dropped`")
    due_on: date | None = Field(default=None, description="a new due date (an open step only)")
    on: date | None = _day("the day of the change; not before the step's last change")


# -- write answers -------------------------------------------------------------------------------------


class ConsentAnswer(BaseModel):
    case_id: UUID
    consent: ConsentKind
    state: ConsentState
    on: date


class PreferencesAnswer(BaseModel):
    case_id: UUID
    recorded_on: date


class ConcernRaisedAnswer(BaseModel):
    concern_id: UUID
    status: str
    risk_level: RiskLevel
    raised_on: date


class ConcernEscalatedAnswer(BaseModel):
    concern_id: UUID
    status: str
    escalated_to: EscalatedTo
    escalated_on: date


class ConcernClosedAnswer(BaseModel):
    concern_id: UUID
    status: str
    outcome: ConcernOutcome
    closed_on: date


class StepAddedAnswer(BaseModel):
    step_id: UUID
    goal_id: UUID
    status: StepStatus
    due_on: date
    added_on: date


class StepChangedAnswer(BaseModel):
    step_id: UUID
    goal_id: UUID
    status: StepStatus
    due_on: date
    on: date


# -- parts of GET /cases/{id} --------------------------------------------------------------------------


class ConsentNow(BaseModel):
    state: ConsentState
    on: date


class ConsentChange(BaseModel):
    consent: ConsentKind
    state: ConsentState
    on: date


class Consent(BaseModel):
    """Where each consent stands (None: never recorded) and every change. `shares_outcomes_with_gp`
    is what the discharge summary honours: consent to share stands given."""

    service: ConsentNow | None
    share_outcomes_with_gp: ConsentNow | None
    shares_outcomes_with_gp: bool
    history: list[ConsentChange]


class Preferences(BaseModel):
    recorded_on: date
    contact_modes: list[ContactPreferenceMode]
    contact_times: list[ContactTime]
    language: str | None
    interpreter_needed: bool
    accessibility_needs: list[AccessibilityNeed]
    accessibility_note: str | None  # for the holder and managers only; None once erased


class Escalation(BaseModel):
    escalated_to: EscalatedTo
    escalated_on: date
    detail: str | None


class Concern(BaseModel):
    concern_id: UUID
    status: str  # open | closed
    category: SafeguardingCategory
    risk_level: RiskLevel
    raised_on: date
    immediate_action_taken: bool
    description: str | None
    immediate_action: str | None
    escalations: list[Escalation]
    closed_on: date | None
    outcome: ConcernOutcome | None
    closure_note: str | None


class StepChange(BaseModel):
    from_status: StepStatus
    to_status: StepStatus
    due_on: date
    on: date


class Step(BaseModel):
    step_id: UUID
    description: str | None
    status: StepStatus
    due_on: date
    added_on: date
    is_overdue: bool
    history: list[StepChange]


class ActionSteps(BaseModel):
    next_due_on: date | None  # the earliest open step of an open goal
    overdue: int


# -- GET /safeguarding-concerns ------------------------------------------------------------------------


class ConcernRow(BaseModel):
    """A concern as the list shows it: codes and dates, never its words."""

    concern_id: UUID
    case_id: UUID
    patient_id: UUID
    provider_id: UUID
    link_worker_id: UUID
    category: SafeguardingCategory
    risk_level: RiskLevel
    immediate_action_taken: bool
    raised_on: date
    escalations: int
    last_escalated_on: date | None
    last_escalated_to: EscalatedTo | None
    closed_on: date | None
    outcome: ConcernOutcome | None
    is_open: bool


class ConcernPage(BaseModel):
    items: list[ConcernRow]
    page: int
    page_size: int
    total: int
