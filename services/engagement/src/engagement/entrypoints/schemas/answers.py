"""What the case API answers: one model per JSON answer, exactly the keys it sends (a key that is
sometimes left out, like a revised goal's `replacement_goal_id`, says so)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel

from contracts.engagement import (
    CaseDischargeReason,
    ContactMode,
    ContactVenue,
    GoalStatus,
    LinkageCategory,
    LinkageStatus,
    StarArea,
    StarKind,
    StarScores,
)
from engagement.domain import CaseStatus
from engagement.entrypoints.schemas.casework import ActionSteps, Concern, Consent, Preferences, Step

# -- writes ------------------------------------------------------------------------------------------


class ContactRecordedAnswer(BaseModel):
    contact_id: UUID
    case_status: CaseStatus


class AttemptRecordedAnswer(BaseModel):
    attempt_id: UUID
    case_status: CaseStatus


class GoalAgreedAnswer(BaseModel):
    goal_id: UUID
    status: GoalStatus
    agreed_on: date


class GoalChangedAnswer(BaseModel):
    goal_id: UUID
    status: GoalStatus
    on: date
    replacement_goal_id: UUID | None = None  # sent only when a revision agreed a replacement


class StarRecordedAnswer(BaseModel):
    star_id: UUID
    kind: StarKind
    total: int
    case_status: CaseStatus


class StarCorrectedAnswer(BaseModel):
    star_id: UUID
    total: int
    corrected_on: date


class StarVoidedAnswer(BaseModel):
    star_id: UUID
    voided_on: date


class LinkageMadeAnswer(BaseModel):
    linkage_id: UUID
    status: LinkageStatus
    made_on: date


class LinkageChangedAnswer(BaseModel):
    linkage_id: UUID
    status: LinkageStatus
    on: date


class ExtensionAnswer(BaseModel):
    case_id: UUID
    extended_on: date
    review_on: date


class DischargeAnswer(BaseModel):
    case_id: UUID
    status: CaseStatus
    discharged_on: date


class ReassignmentAnswer(BaseModel):
    case_id: UUID
    link_worker_id: UUID
    reassigned_on: date


# -- GET /cases ----------------------------------------------------------------------------------------


class CaseRow(BaseModel):
    """One case as the list shows it (the `cases` read model)."""

    case_id: UUID
    version: int
    patient_id: UUID
    provider_id: UUID
    link_worker_id: UUID
    practice_ods_code: str
    status: CaseStatus
    opened_on: date
    contacted_on: date | None
    engaged_on: date | None
    closed_on: date | None
    review_due_on: date | None
    limit_on: date
    extended_until: date | None
    is_open: bool
    review_overdue: bool
    first_contact_due_on: date | None = None  # None for a row written before the deadline existed
    first_contact_on: date | None = None
    service_consent: str | None = None  # given | declined | withdrawn; None: not recorded
    outcome_sharing_consent: str | None = None
    open_safeguarding_concerns: int = 0  # the case's flag: > 0 while a concern is open
    highest_open_risk: str | None = None
    next_step_due_on: date | None = None
    action_steps_overdue: bool = False


class CasePage(BaseModel):
    items: list[CaseRow]
    page: int
    page_size: int
    total: int


# -- GET /cases/{case_id} ------------------------------------------------------------------------------


class Review(BaseModel):
    due_on: date | None
    is_due: bool
    is_overdue: bool


class FirstContact(BaseModel):
    """The first-contact deadline: the first contact or attempt is due within 2 working days of
    allocation (docs/domain.md §4.2)."""

    due_on: date
    made_on: date | None
    met: bool | None  # None while no contact or attempt has come
    is_overdue: bool


class TimeLimit(BaseModel):
    """The two-year clock (docs/domain.md §3.4): `limit_on` is the first day past the limit,
    `covered_until` the last day within it or an extension (a review date is covered),
    `is_past_limit` whether a decision (extend or discharge) is due today."""

    limit_on: date
    extended_until: date | None
    covered_until: date
    is_past_limit: bool


class Contact(BaseModel):
    contact_id: UUID
    occurred_at: datetime
    mode: ContactMode
    duration_minutes: int
    venue: ContactVenue | None
    attended: bool


class ContactAttempt(BaseModel):
    attempt_id: UUID
    occurred_at: datetime
    note: str | None


class GoalChange(BaseModel):
    from_status: GoalStatus
    to_status: GoalStatus
    on: date


class GoalNote(BaseModel):
    note: str
    recorded_at: datetime


class Goal(BaseModel):
    goal_id: UUID
    status: GoalStatus
    star_areas: list[StarArea]
    target_date: date | None
    agreed_on: date
    supersedes_goal_id: UUID | None
    description: str | None  # None once the patient's text is erased
    history: list[GoalChange]
    notes: list[GoalNote]
    steps: list[Step]  # the goal's action plan


class StarScoresCorrection(BaseModel):
    scores: StarScores
    total: int
    corrected_on: date


class Star(BaseModel):
    star_id: UUID
    taken_on: date
    kind: StarKind | None  # as it stands now; None when voided
    recorded_kind: StarKind
    scores: StarScores  # after the latest correction
    total: int
    voided_on: date | None
    void_reason: str | None
    original_scores: StarScores
    corrections: list[StarScoresCorrection]


class LinkageChange(BaseModel):
    from_status: LinkageStatus
    to_status: LinkageStatus
    on: date


class Linkage(BaseModel):
    linkage_id: UUID
    service_id: UUID
    service_name: str | None  # from the local copy of the directory
    service_status: str | None
    category: LinkageCategory
    status: LinkageStatus
    made_on: date
    history: list[LinkageChange]


class Extension(BaseModel):
    extended_on: date
    review_on: date
    reason: str | None


class Discharge(BaseModel):
    discharged_on: date
    reason: CaseDischargeReason


class CaseView(BaseModel):
    """One case in full: folded from its events, with the free text kept beside them."""

    case_id: UUID
    version: int
    status: CaseStatus
    patient_id: UUID
    provider_id: UUID
    link_worker_id: UUID
    practice_ods_code: str
    opened_on: date
    contacted_on: date | None
    engaged_on: date | None
    unable_to_contact_on: date | None
    review: Review
    first_contact: FirstContact
    time_limit: TimeLimit
    consent: Consent
    open_safeguarding_concerns: int
    highest_open_risk: str | None
    action_steps: ActionSteps
    preferences: list[Preferences]  # every set recorded, oldest first; the last stands
    safeguarding_concerns: list[Concern] | None  # None for the platform's services (not theirs to see)
    contacts: list[Contact]
    contact_attempts: list[ContactAttempt]
    goals: list[Goal]
    stars: list[Star]
    linkages: list[Linkage]
    extensions: list[Extension]
    discharge: Discharge | None
