"""What the HTTP API answers: one model per JSON answer, shaped exactly as the JSON it sends."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from contracts.practice import CodedConcept, GoalOutcome, ServiceLinked, StarChange
from contracts.referral import IneligibilityReason


class ListedStatus(StrEnum):
    """A referral's status as the API answers it: the lifecycle's (docs/domain.md §3), but a referring
    practice is shown `accepted` in place of `eligible` and `allocated` until the link worker's first
    contact, and other roles never see `accepted` (docs/security.md §3.1)."""

    RECEIVED = "received"
    ACCEPTED = "accepted"  # a referrer's only: eligible or allocated, not contacted yet
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    ALLOCATED = "allocated"
    CONTACTED = "contacted"
    ENGAGED = "engaged"
    UNABLE_TO_CONTACT = "unable_to_contact"
    DECLINED = "declined"
    DISCHARGED = "discharged"
    WITHDRAWN = "withdrawn"


_STATUS = (
    "For a referrer `accepted` stands for eligible and allocated until first contact (never `eligible` or"
    " `allocated`); other roles see the real status and never `accepted`."
)
_HIDDEN_FROM_PRACTICE = (
    "Null for a referrer while the referral is accepted, and after a decline or withdrawal that came"
    " before first contact: a practice is not told whether its referral was allocated."
)

_ALWAYS_NULL = "Always null: a practice is not told whether its referral was allocated before first contact."


class Eligibility(BaseModel):
    eligible: bool | None
    reasons: list[IneligibilityReason] | None  # every failed criterion; None until assessed


class ReferralCreated(BaseModel):
    """A referral just received and assessed: `accepted` when eligible, whether someone had room and
    it was allocated in this request or it waits in the queue (its practice is not told which)."""

    referral_id: UUID
    patient_id: UUID
    status: Literal["accepted", "ineligible"]
    eligibility: Eligibility
    provider_id: UUID | None = Field(None, description=_ALWAYS_NULL)
    link_worker_id: UUID | None = Field(None, description=_ALWAYS_NULL)


class Referrer(BaseModel):
    name: str
    role: str


class Withdrawal(BaseModel):
    reason: str
    withdrawn_on: date


class PreviousEpisode(BaseModel):
    """The latest earlier episode the caller may see: how and when it ended, and who held it."""

    referral_id: UUID
    status: str  # discharged | declined | unable_to_contact
    referred_on: date
    closed_on: date
    reason: str | None  # the discharge or decline reason: clinical, null for operators and services
    link_worker_id: UUID | None = Field(
        description="Null for a referrer when that episode was declined before first contact."
    )


class Episode(BaseModel):
    """The referral's place among the patient's episodes (docs/domain.md §3.7), counted over the
    earlier episodes the caller may see (a practice only its own): 1 and no previous for a first."""

    number: int
    previous: PreviousEpisode | None


class EntriesCorrection(BaseModel):
    """The latest correction of the referral's own entries (docs/domain.md §3.5)."""

    corrected_on: date
    corrected: list[str]
    criteria_failed: list[IneligibilityReason] | None  # clinical: null for operators and services


class ReferralSummary(BaseModel):
    """A referral without identifiable fields (what every list shows). `patient_id` is, for a
    referrer, the practice's own id of the patient (docs/security.md), not the platform's."""

    referral_id: UUID
    patient_id: UUID
    status: ListedStatus = Field(description=_STATUS)
    status_since: date | None = Field(
        description="When the status began; for `accepted`, the date the referral was assessed eligible."
    )
    practice_ods_code: str
    provider_id: UUID | None = Field(description=_HIDDEN_FROM_PRACTICE)
    link_worker_id: UUID | None = Field(description=_HIDDEN_FROM_PRACTICE)
    referrer: Referrer
    referred_on: date
    age_at_referral: int | None
    sex: str
    conditions: list[str] | None  # clinical: null for operators and services
    mental_health: list[str] | None
    eligibility: Eligibility  # its reasons are null for operators and services
    withdrawal: Withdrawal | None = None  # set once withdrawn as made in error
    episode: Episode = Episode(number=1, previous=None)
    entries_correction: EntriesCorrection | None = None  # set once the referral's entries were corrected


class ReferralPage(BaseModel):
    items: list[ReferralSummary]
    page: int
    page_size: int
    total: int


class UnservedReferral(ReferralSummary):
    """An eligible referral waiting because no provider serves its practice yet."""

    received_at: datetime


class UnservedPage(BaseModel):
    """Referrals waiting for their practice to be given a provider, oldest first."""

    items: list[UnservedReferral]
    page: int
    page_size: int
    total: int


class PatientIdentity(BaseModel):
    """The patient's identifiable fields, decrypted for a caller allowed to see them (each read audited)."""

    nhs_number: str | None
    given_name: str | None
    family_name: str | None
    date_of_birth: str | None
    address: str | None = None  # only once corrected: intake takes a postcode only
    postcode: str | None
    phone: str | None
    email: str | None
    reason: str | None
    erased: Literal[False]


class DetailsCorrected(BaseModel):
    """A correction recorded (`PatientDetailsCorrected`): which details, never their values."""

    referral_id: UUID
    patient_id: UUID
    corrected: list[str]
    reason: str
    corrected_on: date


class EntriesCorrected(BaseModel):
    """A correction of the referral's entries recorded (`ReferralEntriesCorrected`): which entries
    changed, the referral's status after it (`ineligible` when a waiting referral now fails a
    criterion) and the criteria it fails."""

    referral_id: UUID
    status: ListedStatus = Field(description=_STATUS)
    corrected: list[str]
    corrected_on: date
    criteria_failed: list[IneligibilityReason]


class ErasedPatient(BaseModel):
    """The patient's key was shredded: their identifiable fields are gone for good."""

    erased: Literal[True]


class SentToPractice(BaseModel):
    """The discharge summary engagement sent the referrer's practice (`DischargeSummaryIssued`):
    SNOMED codes, dates, attended contacts, and the Well-being Star change, goals (by Star area and
    outcome) and services linked only when the patient consented to share outcomes with their GP."""

    summary_id: UUID
    practice_ods_code: str
    codes: list[CodedConcept]
    reason: str
    opened_on: date
    first_contact_on: date | None = None
    engaged_on: date | None = None
    discharged_on: date
    contacts_held: int
    outcomes_shared: bool
    wellbeing: StarChange | None = None
    goals: list[GoalOutcome] = []
    services: list[ServiceLinked] = []


class DischargeSummary(BaseModel):
    """The summary the GP and referrer are sent when the episode ends (the `ReferralClosed` event):
    dates, codes and counts, never free text."""

    model_config = ConfigDict(extra="allow")  # a field added to the event later is passed on as it is

    referral_id: UUID
    patient_id: UUID
    practice_ods_code: str
    status: str
    closed_on: date
    referred_on: date
    provider_id: UUID | None = Field(description=_HIDDEN_FROM_PRACTICE)
    link_worker_id: UUID | None = Field(description=_HIDDEN_FROM_PRACTICE)
    first_contact_on: date | None
    engaged_on: date | None
    discharged_on: date | None
    discharge_reason: str | None
    decline_reason: str | None
    ineligibility_reasons: list[IneligibilityReason]
    contacts_count: int | None
    sent_to_practice: SentToPractice | None = Field(
        None,
        description="Engagement's summary to the practice, once it came; null for a referrer after a decline"
        " before first contact (a referral declined while it waited has none).",
    )


class ReferralIdentity(BaseModel):
    referral_id: UUID
    patient: PatientIdentity | ErasedPatient


class Identities(BaseModel):
    """The patients of the referrals asked for that the caller may see (each read audited)."""

    items: list[ReferralIdentity]


class ReferralDetail(ReferralSummary):
    """One referral: identity only for the referrer, the link worker and the provider manager."""

    patient: PatientIdentity | ErasedPatient | None
    discharge_summary: DischargeSummary | None


class Practice(BaseModel):
    ods_code: str
    name: str
    participating: bool
    provider_id: UUID | None


class Provider(BaseModel):
    provider_id: UUID
    name: str
    practices: list[str]


class ProviderCreated(BaseModel):
    provider_id: UUID
    name: str


class LinkWorker(BaseModel):
    link_worker_id: UUID
    provider_id: UUID
    display_name: str
    capacity: int | None  # null only in finance's list (names only, docs/security.md §3.1)
    active: bool
    active_caseload: int | None  # idem


class Erased(BaseModel):
    """The erasure carried out (or, on a repeat, the first one)."""

    patient_id: UUID
    erased_at: datetime
    already_erased: bool
