"""GP-facing events (topic `linkwell.practice.v1`, producer: engagement): what the referrer's practice
is sent. Today one message, the discharge summary (issue 18 item 7); its FHIR form comes later.

Pseudonymous and free of free text like every topic (docs/security.md): the patient is named only by
the referral id the practice was given when it referred (a practice never sees the platform's
patient id), goals only by their Star areas and outcome (the wording stays in engagement), services
by their public directory id. Outcome detail (Stars, goals, services) travels only when the patient
consented to share outcomes with their GP (`outcomes_shared`); otherwise those fields are empty.
Aggregate type `discharge_summary`, one per case: its id is derived from the case id
(`discharge_summary_id`), so a case is summarised once.
"""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from contracts import topics
from contracts.engagement import CaseDischargeReason, LinkageCategory, LinkageStatus, StarArea
from contracts.events import EventPayload, register_event
from contracts.referral import ODS_CODE

_SUMMARY_NAMESPACE = uuid.UUID("6f1f8f0e-2a52-4f43-9d0a-1c7b1e6a0d18")


def discharge_summary_id(case_id: UUID) -> UUID:
    """The one summary id of a case (name-based), so a second one for the same case collides."""
    return uuid.uuid5(_SUMMARY_NAMESPACE, f"discharge-summary:{case_id}")


class SnomedConcept(StrEnum):
    """SNOMED CT (UK edition) concepts of the PRSB Social Prescribing Information Standard we record."""

    REFERRAL_TO_SOCIAL_PRESCRIBING = "871731000000106"  # Referral to social prescribing service
    SOCIAL_PRESCRIBING_DECLINED = "871711000000103"  # Social prescribing declined


SNOMED_DISPLAY = {
    SnomedConcept.REFERRAL_TO_SOCIAL_PRESCRIBING: "Referral to social prescribing service",
    SnomedConcept.SOCIAL_PRESCRIBING_DECLINED: "Social prescribing declined",
}


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CodedConcept(_Part):
    system: str = "http://snomed.info/sct"
    code: SnomedConcept
    display: str = Field(min_length=1, max_length=200)


class StarAreaChange(_Part):
    area: StarArea
    baseline: int = Field(ge=1, le=10)
    latest: int = Field(ge=1, le=10)
    change: int = Field(ge=-9, le=9)


class StarChange(_Part):
    """The baseline and the latest Star not voided (corrections applied), per area and in total."""

    baseline_on: date
    latest_on: date
    baseline_total: int = Field(ge=8, le=80)
    latest_total: int = Field(ge=8, le=80)
    change: int = Field(ge=-72, le=72)
    areas: tuple[StarAreaChange, ...]


class GoalOutcome(_Part):
    goal_id: UUID
    star_areas: tuple[StarArea, ...]
    status: str = Field(pattern=r"^(agreed|in_progress|achieved|revised|abandoned)$")
    agreed_on: date


class ServiceLinked(_Part):
    service_id: UUID
    category: LinkageCategory
    status: LinkageStatus
    attended: bool
    made_on: date


@register_event
class DischargeSummaryIssued(EventPayload):
    """A case was discharged: the summary the referrer's practice is sent (issue 18 item 7)."""

    event_type: ClassVar[str] = "DischargeSummaryIssued"
    aggregate_type: ClassVar[str] = "discharge_summary"
    topic: ClassVar[str] = topics.PRACTICE

    summary_id: UUID
    referral_id: UUID = Field(description="the case id: the referral the practice made")
    practice_ods_code: str = Field(pattern=ODS_CODE, description="the practice the patient is registered with")
    provider_id: UUID
    link_worker_id: UUID
    codes: tuple[CodedConcept, ...] = Field(min_length=1)
    reason: CaseDischargeReason
    opened_on: date
    first_contact_on: date | None = None
    engaged_on: date | None = None
    discharged_on: date
    contacts_held: int = Field(ge=0, description="attended contacts")
    outcomes_shared: bool = Field(description="the patient consented to share outcomes with their GP")
    wellbeing: StarChange | None = None
    goals: tuple[GoalOutcome, ...] = ()
    services: tuple[ServiceLinked, ...] = ()


PRACTICE_EVENTS: tuple[type[EventPayload], ...] = (DischargeSummaryIssued,)
