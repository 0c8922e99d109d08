"""Engagement events (topic `linkwell.engagement.v1`): one link worker's case for one referral.

The case id is the referral id. Every event names the patient only by `patient_id` (pseudonymous)
and carries the provider and link worker holding the case when it happened, so reporting can
attribute outcomes. No free text travels here at all: a goal in the patient's own words, notes and
reasons stay in the engagement service's database (erasable there); events carry ids, codes,
dates and scores. Dates (`*_on`) are Europe/London calendar dates.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, ClassVar, Self
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from contracts import topics
from contracts.events import EventPayload, register_event
from contracts.referral import ODS_CODE


class ContactMode(StrEnum):
    FACE_TO_FACE = "face_to_face"
    TELEPHONE = "telephone"
    EMAIL = "email"
    TEXT = "text"


class ContactVenue(StrEnum):
    """A kind of place, never an address: free text could identify someone's home."""

    GP_PRACTICE = "gp_practice"
    COMMUNITY_CENTRE = "community_centre"
    CAFE = "cafe"
    HOME = "home"
    OTHER = "other"


class StarArea(StrEnum):
    """The eight areas of the Well-being Star, in Triangle's order."""

    LIFESTYLE = "lifestyle"
    LOOKING_AFTER_YOURSELF = "looking_after_yourself"
    MANAGING_SYMPTOMS = "managing_symptoms"
    WORK_VOLUNTEERING = "work_volunteering"
    MONEY = "money"
    WHERE_YOU_LIVE = "where_you_live"
    FAMILY_AND_FRIENDS = "family_and_friends"
    FEELING_POSITIVE = "feeling_positive"


class StarKind(StrEnum):
    BASELINE = "baseline"
    REVIEW = "review"


class GoalStatus(StrEnum):
    AGREED = "agreed"
    IN_PROGRESS = "in_progress"
    ACHIEVED = "achieved"
    REVISED = "revised"
    ABANDONED = "abandoned"


class LinkageCategory(StrEnum):
    LONG_TERM_CONDITION_MANAGEMENT = "long_term_condition_management"
    MENTAL_HEALTH = "mental_health"
    PHYSICAL_ACTIVITY = "physical_activity"
    WEIGHT_MANAGEMENT_HEALTHY_EATING = "weight_management_healthy_eating"
    NHS_SERVICES = "nhs_services"
    WELFARE_RIGHTS_ADVICE = "welfare_rights_advice"
    LEARNING_AND_EMPLOYMENT = "learning_and_employment"
    VOLUNTEERING = "volunteering"
    ARTS = "arts"
    COMMUNITY_ACTIVITIES = "community_activities"


class LinkageStatus(StrEnum):
    SUGGESTED = "suggested"
    REFERRED = "referred"
    ATTENDED = "attended"
    DECLINED = "declined"
    DID_NOT_START = "did_not_start"


class CaseDischargeReason(StrEnum):
    GOALS_MET = "goals_met"
    SELF_MANAGING = "self_managing"
    DISENGAGED = "disengaged"
    MOVED_AWAY = "moved_away"
    DECEASED = "deceased"
    DECLINED_FURTHER_SUPPORT = "declined_further_support"
    REACHED_TIME_LIMIT = "reached_time_limit"
    OTHER = "other"


Score = Annotated[int, Field(ge=1, le=10, strict=True)]


class StarScores(BaseModel):
    """One Well-being Star: each area scored 1-10 on the Journey of Change."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    lifestyle: Score
    looking_after_yourself: Score
    managing_symptoms: Score
    work_volunteering: Score
    money: Score
    where_you_live: Score
    family_and_friends: Score
    feeling_positive: Score

    @property
    def total(self) -> int:
        return sum(getattr(self, area.value) for area in StarArea)


class _CaseEvent(EventPayload):
    aggregate_type: ClassVar[str] = "case"
    topic: ClassVar[str] = topics.ENGAGEMENT

    case_id: UUID = Field(description="the referral id")
    patient_id: UUID
    provider_id: UUID = Field(description="the provider holding the case when this happened")
    link_worker_id: UUID = Field(description="the link worker holding the case when this happened")


class _ScoredStar(_CaseEvent):
    star_id: UUID
    scores: StarScores
    total: int = Field(ge=8, le=80)

    @model_validator(mode="after")
    def _total_is_the_sum(self) -> Self:
        if self.total != self.scores.total:
            raise ValueError(f"total {self.total} is not the sum of the scores ({self.scores.total})")
        return self


@register_event
class CaseOpened(_CaseEvent):
    """An allocated referral became a case on the link worker's caseload."""

    event_type: ClassVar[str] = "CaseOpened"

    practice_ods_code: str = Field(pattern=ODS_CODE)
    allocated_on: date


@register_event
class CaseReassigned(_CaseEvent):
    """Handed to another link worker of the same provider (`link_worker_id` is the new one)."""

    event_type: ClassVar[str] = "CaseReassigned"

    from_link_worker_id: UUID
    reassigned_on: date


@register_event
class ContactRecorded(_CaseEvent):
    """A contact with the patient; `attended=False` is a did-not-attend (DNA)."""

    event_type: ClassVar[str] = "ContactRecorded"

    contact_id: UUID
    occurred_at: AwareDatetime
    mode: ContactMode
    duration_minutes: int = Field(ge=0, le=600)
    venue: ContactVenue | None = None
    attended: bool


@register_event
class ContactAttemptFailed(_CaseEvent):
    """The link worker tried to reach the patient and could not (any note stays in the service)."""

    event_type: ClassVar[str] = "ContactAttemptFailed"

    attempt_id: UUID
    occurred_at: AwareDatetime


@register_event
class CaseContacted(_CaseEvent):
    """The first successful (attended) contact: emitted once per case."""

    event_type: ClassVar[str] = "CaseContacted"

    contact_id: UUID
    contacted_on: date


@register_event
class UnableToContact(_CaseEvent):
    """Three or more failed attempts over at least 28 days, no successful contact: the case ends."""

    event_type: ClassVar[str] = "UnableToContact"

    on: date
    attempts_count: int = Field(ge=3)
    first_attempt_on: date
    last_attempt_on: date


@register_event
class GoalAgreed(_CaseEvent):
    """A goal agreed with the patient; its wording (the patient's own) stays in the service."""

    event_type: ClassVar[str] = "GoalAgreed"

    goal_id: UUID
    star_areas: tuple[StarArea, ...] = Field(min_length=1)
    target_date: date | None = None
    agreed_on: date
    supersedes_goal_id: UUID | None = Field(default=None, description="the revised goal this one replaces")


@register_event
class GoalUpdated(_CaseEvent):
    event_type: ClassVar[str] = "GoalUpdated"

    goal_id: UUID
    from_status: GoalStatus
    to_status: GoalStatus
    on: date


@register_event
class WellbeingStarRecorded(_ScoredStar):
    """A Star taken on `taken_on`. `kind` is the kind when recorded; reporting recomputes it
    (voiding the baseline promotes the next earliest Star)."""

    event_type: ClassVar[str] = "WellbeingStarRecorded"

    kind: StarKind
    taken_on: date


@register_event
class WellbeingStarCorrected(_ScoredStar):
    """New scores for a recorded Star, from the moment this is recorded; the original is kept."""

    event_type: ClassVar[str] = "WellbeingStarCorrected"

    corrected_on: date


@register_event
class WellbeingStarVoided(_CaseEvent):
    """A Star no longer counts (entered in error); the original is kept."""

    event_type: ClassVar[str] = "WellbeingStarVoided"

    star_id: UUID
    voided_on: date


@register_event
class CaseEngaged(_CaseEvent):
    """The baseline Star was recorded after a first session: emitted once per case."""

    event_type: ClassVar[str] = "CaseEngaged"

    baseline_star_id: UUID
    engaged_on: date


@register_event
class LinkageMade(_CaseEvent):
    """A social prescription to a directory service (stable id); it starts as `suggested`."""

    event_type: ClassVar[str] = "LinkageMade"

    linkage_id: UUID
    service_id: UUID
    category: LinkageCategory
    made_on: date


@register_event
class LinkageUpdated(_CaseEvent):
    event_type: ClassVar[str] = "LinkageUpdated"

    linkage_id: UUID
    from_status: LinkageStatus
    to_status: LinkageStatus
    on: date


@register_event
class CaseExtended(_CaseEvent):
    """Link-worker discretion to keep the case past its two-year limit, until `review_on`."""

    event_type: ClassVar[str] = "CaseExtended"

    extended_on: date
    review_on: date


@register_event
class CaseDischarged(_CaseEvent):
    """The case ended with a reason; counts feed the referral's discharge summary."""

    event_type: ClassVar[str] = "CaseDischarged"

    reason: CaseDischargeReason
    discharged_on: date
    contacts_count: int = Field(ge=0, description="attended contacts")
    stars_count: int = Field(ge=0, description="Stars not voided")


ENGAGEMENT_EVENTS: tuple[type[EventPayload], ...] = (
    CaseOpened,
    CaseReassigned,
    ContactRecorded,
    ContactAttemptFailed,
    CaseContacted,
    UnableToContact,
    GoalAgreed,
    GoalUpdated,
    WellbeingStarRecorded,
    WellbeingStarCorrected,
    WellbeingStarVoided,
    CaseEngaged,
    LinkageMade,
    LinkageUpdated,
    CaseExtended,
    CaseDischarged,
)
