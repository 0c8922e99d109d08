"""Case-work events on `linkwell.engagement.v1` added for issue 18: consent and preferences,
safeguarding concerns, and the steps of a goal's action plan.

Like every engagement event they name the patient only by `patient_id` and carry the provider and
link worker holding the case. Only codes, flags and dates travel: a safeguarding description, the
action taken, whom a concern went to, a closing note, an action step's wording and accessibility
notes stay in the engagement service's database (erasable there), never here.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from pydantic import Field

from contracts.engagement import _CaseEvent
from contracts.events import EventPayload, register_event

LANGUAGE_CODE = r"^[a-z]{2,3}$"  # ISO 639-1 (two letters) or ISO 639-3 (three: `bfi` is British Sign Language)


class ConsentKind(StrEnum):
    """What the patient consents to."""

    SERVICE = "service"  # being supported by the link worker
    SHARE_OUTCOMES_WITH_GP = "share_outcomes_with_gp"  # outcome detail in the discharge summary


class ConsentState(StrEnum):
    GIVEN = "given"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class ContactPreferenceMode(StrEnum):
    PHONE = "phone"
    TEXT = "text"
    EMAIL = "email"
    LETTER = "letter"
    IN_PERSON = "in_person"


class ContactTime(StrEnum):
    WEEKDAY_MORNING = "weekday_morning"
    WEEKDAY_AFTERNOON = "weekday_afternoon"
    WEEKDAY_EVENING = "weekday_evening"
    WEEKEND = "weekend"


class AccessibilityNeed(StrEnum):
    """Coded needs, after the NHS Accessible Information Standard's kinds; details go in the note."""

    STEP_FREE_ACCESS = "step_free_access"
    WHEELCHAIR_ACCESS = "wheelchair_access"
    HEARING_LOOP = "hearing_loop"
    BRITISH_SIGN_LANGUAGE = "british_sign_language"
    LARGE_PRINT = "large_print"
    EASY_READ = "easy_read"
    BRAILLE = "braille"
    AUDIO = "audio"
    SUPPORT_PERSON_PRESENT = "support_person_present"
    OTHER = "other"


class SafeguardingCategory(StrEnum):
    SELF_HARM_OR_SUICIDE_RISK = "self_harm_or_suicide_risk"
    ABUSE = "abuse"
    NEGLECT = "neglect"
    DOMESTIC_ABUSE = "domestic_abuse"
    EXPLOITATION = "exploitation"
    OTHER = "other"


class RiskLevel(StrEnum):
    """In rising order."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    IMMEDIATE = "immediate"


class EscalatedTo(StrEnum):
    """The kind of body a concern went to; the named team or person stays in the service."""

    PROVIDER_SAFEGUARDING_LEAD = "provider_safeguarding_lead"
    ADULT_SOCIAL_CARE = "adult_social_care"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care"
    GP = "gp"
    MENTAL_HEALTH_CRISIS_TEAM = "mental_health_crisis_team"
    POLICE = "police"
    EMERGENCY_SERVICES = "emergency_services"
    OTHER = "other"


class ConcernOutcome(StrEnum):
    NO_FURTHER_ACTION = "no_further_action"
    RESOLVED = "resolved"
    HANDED_TO_STATUTORY_SERVICES = "handed_to_statutory_services"
    ONGOING_WITH_ANOTHER_AGENCY = "ongoing_with_another_agency"
    UNFOUNDED = "unfounded"
    OTHER = "other"


class StepStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


@register_event
class ConsentRecorded(_CaseEvent):
    """The patient gave, declined or withdrew consent (to the service, or to sharing outcomes with
    their GP) on `on`; each change is a new event, the history is the events."""

    event_type: ClassVar[str] = "ConsentRecorded"

    consent: ConsentKind
    state: ConsentState
    on: date


@register_event
class PreferencesRecorded(_CaseEvent):
    """The patient's preferences as they stand from `recorded_on` (the whole set: each replaces the
    last). An accessibility note, if any, stays in the service (`has_accessibility_note`)."""

    event_type: ClassVar[str] = "PreferencesRecorded"

    contact_modes: tuple[ContactPreferenceMode, ...] = ()
    contact_times: tuple[ContactTime, ...] = ()
    language: str | None = Field(default=None, pattern=LANGUAGE_CODE, description="ISO 639-1 or 639-3 code")
    interpreter_needed: bool = False
    accessibility_needs: tuple[AccessibilityNeed, ...] = ()
    has_accessibility_note: bool = False
    recorded_on: date


@register_event
class SafeguardingConcernRaised(_CaseEvent):
    """A safeguarding concern about the patient; its description and the action taken stay in the service."""

    event_type: ClassVar[str] = "SafeguardingConcernRaised"

    concern_id: UUID
    category: SafeguardingCategory
    risk_level: RiskLevel
    immediate_action_taken: bool
    raised_on: date


@register_event
class SafeguardingConcernEscalated(_CaseEvent):
    """The concern was passed to another body on `escalated_on` (the named team stays in the service)."""

    event_type: ClassVar[str] = "SafeguardingConcernEscalated"

    concern_id: UUID
    escalated_to: EscalatedTo
    escalated_on: date


@register_event
class SafeguardingConcernClosed(_CaseEvent):
    """The concern was closed with an outcome; a closed concern is final."""

    event_type: ClassVar[str] = "SafeguardingConcernClosed"

    concern_id: UUID
    outcome: ConcernOutcome
    closed_on: date


@register_event
class ActionStepAdded(_CaseEvent):
    """A step of a goal's action plan, due by `due_on`; its wording stays in the service."""

    event_type: ClassVar[str] = "ActionStepAdded"

    goal_id: UUID
    step_id: UUID
    due_on: date
    added_on: date


@register_event
class ActionStepUpdated(_CaseEvent):
    """A step moved on (or was given a new due date) on `on`."""

    event_type: ClassVar[str] = "ActionStepUpdated"

    goal_id: UUID
    step_id: UUID
    from_status: StepStatus
    to_status: StepStatus
    due_on: date
    on: date


@register_event
class CaseWithdrawn(_CaseEvent):
    """The case closed because its referral was withdrawn as made in error (`ReferralWithdrawn`), or
    was found ineligible by a correction of its entries before first contact (`ReferralClosed` with
    status `ineligible`): no outcome, no discharge and no discharge summary. Terminal; whatever was
    recorded stays."""

    event_type: ClassVar[str] = "CaseWithdrawn"

    withdrawn_on: date
    referral_event_id: UUID = Field(
        description="the referral event that closed it (ReferralWithdrawn, or ReferralClosed)"
    )


CASEWORK_EVENTS: tuple[type[EventPayload], ...] = (
    ConsentRecorded,
    PreferencesRecorded,
    SafeguardingConcernRaised,
    SafeguardingConcernEscalated,
    SafeguardingConcernClosed,
    ActionStepAdded,
    ActionStepUpdated,
    CaseWithdrawn,
)
