"""Referral events (topic `linkwell.referral.v1`): one patient's episode, plus the reference data
(practices, providers, link workers) that eligibility and allocation depend on.

The platform's hardest rule holds here: no NHS number, name, date of birth, address, phone or email
in clear. Identifiable values, and free text a person typed (which may name someone), travel only
as `EncryptedField`s under the patient's own data key. Staff names (referrer, link worker) are
work data and travel in clear.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from contracts import topics
from contracts.events import EventPayload, register_event
from contracts.pii import EncryptedField
from contracts.upcasting import upcaster

ODS_CODE = r"^[A-Z0-9]{3,12}$"
HMAC_HEX = r"^[0-9a-f]{64}$"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class ReferrerRole(StrEnum):
    GP = "gp"
    PRACTICE_NURSE = "practice_nurse"
    HEALTHCARE_ASSISTANT = "healthcare_assistant"


class LongTermCondition(StrEnum):
    TYPE1_DIABETES = "type1_diabetes"
    TYPE2_DIABETES = "type2_diabetes"
    COPD = "copd"
    ASTHMA = "asthma"
    CHD = "chd"
    HEART_FAILURE = "heart_failure"
    EPILEPSY = "epilepsy"
    OSTEOPOROSIS = "osteoporosis"


class MentalHealthNeed(StrEnum):
    ANXIETY = "anxiety"
    DEPRESSION = "depression"


class ReferralStatus(StrEnum):
    RECEIVED = "received"
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    ALLOCATED = "allocated"
    CONTACTED = "contacted"
    ENGAGED = "engaged"
    UNABLE_TO_CONTACT = "unable_to_contact"
    DECLINED = "declined"
    DISCHARGED = "discharged"
    # Added for issue 18 (additive): reached only through `ReferralWithdrawn`. No other event carries
    # it (a withdrawn referral is terminal: no status change, decline or `ReferralClosed` follows it).
    WITHDRAWN = "withdrawn"


class DischargeReason(StrEnum):
    GOALS_MET = "goals_met"  # goals met / self-managing
    DISENGAGED = "disengaged"
    MOVED_AWAY = "moved_away"
    DECEASED = "deceased"
    DECLINED_FURTHER_SUPPORT = "declined_further_support"
    REACHED_TWO_YEAR_LIMIT = "reached_two_year_limit"
    # Added (additive, still v1) so every engagement `CaseDischargeReason` maps to one of ours by value.
    SELF_MANAGING = "self_managing"
    REACHED_TIME_LIMIT = "reached_time_limit"
    OTHER = "other"


class DeclineReason(StrEnum):
    NOT_INTERESTED = "not_interested"
    NOT_THE_RIGHT_TIME = "not_the_right_time"
    ALREADY_SUPPORTED = "already_supported"
    OTHER = "other"


class IneligibilityReason(BaseModel):
    """One failed eligibility criterion: a stable machine code and a sentence for the referrer."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(min_length=1, max_length=60, pattern=r"^[a-z][a-z0-9_]*$")
    message: str = Field(min_length=1, max_length=300)


class _ReferralEvent(EventPayload):
    aggregate_type: ClassVar[str] = "referral"
    topic: ClassVar[str] = topics.REFERRAL

    referral_id: UUID


@register_event
class ReferralReceived(_ReferralEvent):
    """A referrer sent a well-formed referral; the patient's identity travels only encrypted.

    v2: without the NHS-number pseudonym, which v1 carried in clear (the topic and the event store
    keep it for ever, erasure or not); the pseudonym travels on the compacted
    `linkwell.referral.patient-pseudonyms.v1` instead (`contracts.patient_pseudonyms`), where erasure
    takes it back. A v1 event decodes as v2, its pseudonym dropped (`_drop_the_pseudonym`)."""

    event_type: ClassVar[str] = "ReferralReceived"
    schema_version: ClassVar[int] = 2

    patient_id: UUID
    practice_ods_code: str = Field(pattern=ODS_CODE)
    referrer_name: str = Field(min_length=1, max_length=200)
    referrer_role: ReferrerRole
    conditions: tuple[LongTermCondition, ...]
    mental_health: tuple[MentalHealthNeed, ...] = ()
    age_at_referral: int = Field(ge=0, le=150)
    sex: Sex
    referred_on: date
    nhs_number: EncryptedField
    given_name: EncryptedField
    family_name: EncryptedField
    date_of_birth: EncryptedField
    postcode: EncryptedField
    phone: EncryptedField
    email: EncryptedField | None = None
    reason: EncryptedField | None = Field(default=None, description="referrer's free text")


@register_event
class ReferralReceivedV1(_ReferralEvent):
    """A referrer sent a well-formed referral (v1, as published until v2: the NHS-number pseudonym in
    clear). Never sent any more; kept so its schema stays documented and old events can be made in tests."""

    model_config = ConfigDict(title="ReferralReceived")
    event_type: ClassVar[str] = "ReferralReceived"
    schema_version: ClassVar[int] = 1

    patient_id: UUID
    practice_ods_code: str = Field(pattern=ODS_CODE)
    referrer_name: str = Field(min_length=1, max_length=200)
    referrer_role: ReferrerRole
    conditions: tuple[LongTermCondition, ...]
    mental_health: tuple[MentalHealthNeed, ...] = ()
    age_at_referral: int = Field(ge=0, le=150)
    sex: Sex
    referred_on: date
    nhs_number_pseudonym: str = Field(pattern=HMAC_HEX, description="keyed HMAC of the NHS number")
    nhs_number: EncryptedField
    given_name: EncryptedField
    family_name: EncryptedField
    date_of_birth: EncryptedField
    postcode: EncryptedField
    phone: EncryptedField
    email: EncryptedField | None = None
    reason: EncryptedField | None = Field(default=None, description="referrer's free text")


@upcaster("ReferralReceived", 1)
def _drop_the_pseudonym(payload: dict[str, Any]) -> dict[str, Any]:
    """v1 -> v2: the pseudonym is not passed on; consumers get it from the compacted topic, for the
    patients still known (the referral service publishes every one it knows: services/referral README)."""
    payload.pop("nhs_number_pseudonym", None)
    return payload


@register_event
class ReferralAssessed(_ReferralEvent):
    """Eligibility decided on the referral date; an ineligible one lists every failed criterion."""

    event_type: ClassVar[str] = "ReferralAssessed"

    eligible: bool
    reasons: tuple[IneligibilityReason, ...] = ()
    rulebook_id: str = Field(min_length=1, max_length=60)
    assessed_on: date


@register_event
class ReferralAllocated(_ReferralEvent):
    """Allocated to the provider serving the practice and one of its link workers."""

    event_type: ClassVar[str] = "ReferralAllocated"

    provider_id: UUID
    link_worker_id: UUID
    allocated_on: date


@register_event
class ReferralStatusChanged(_ReferralEvent):
    """The episode moved on because of something that happened in the case (an engagement event)."""

    event_type: ClassVar[str] = "ReferralStatusChanged"

    from_status: ReferralStatus
    to_status: ReferralStatus
    on: date
    cause_event_type: str = Field(min_length=1, max_length=100)
    cause_event_id: UUID | None = None


@register_event
class ReferralReassigned(_ReferralEvent):
    """The case was handed to another link worker of the same provider (an engagement `CaseReassigned`):
    the place in the caseload moves with it."""

    event_type: ClassVar[str] = "ReferralReassigned"

    from_link_worker_id: UUID
    link_worker_id: UUID
    reassigned_on: date
    cause_event_id: UUID | None = None


@register_event
class ReferralDeclined(_ReferralEvent):
    """The patient declined the service; any note in their words is encrypted."""

    event_type: ClassVar[str] = "ReferralDeclined"

    from_status: ReferralStatus
    reason_code: DeclineReason
    reason_text: EncryptedField | None = None
    declined_on: date


class CorrectionReason(StrEnum):
    """Why a patient's details were corrected after intake (a code: free text never travels)."""

    ENTERED_WRONGLY = "entered_wrongly"  # a data-entry error at intake
    CHANGED = "changed"  # the patient's details changed (new phone, moved house, new name)


class CorrectedDetail(StrEnum):
    GIVEN_NAME = "given_name"
    FAMILY_NAME = "family_name"
    ADDRESS = "address"
    POSTCODE = "postcode"
    PHONE = "phone"
    EMAIL = "email"


@register_event
class PatientDetailsCorrected(_ReferralEvent):
    """A patient's contact details or name corrected on an open referral after intake (issue 18).
    Only the corrected values are carried, each encrypted under the patient's key; `corrected`
    names them (names of fields, never values). `address` is new here: intake takes a postcode only."""

    event_type: ClassVar[str] = "PatientDetailsCorrected"

    patient_id: UUID
    corrected: tuple[CorrectedDetail, ...] = Field(min_length=1)
    reason_code: CorrectionReason
    corrected_on: date
    given_name: EncryptedField | None = None
    family_name: EncryptedField | None = None
    address: EncryptedField | None = None
    postcode: EncryptedField | None = None
    phone: EncryptedField | None = None
    email: EncryptedField | None = None


@register_event
class PatientPracticeChanged(_ReferralEvent):
    """The patient of an open referral registered with another participating practice (issue 18).
    The referral follows the practice from now on (its referrer, its summary). A referral not yet
    allocated moves to the new practice's provider queue (`provider_id`, None while no provider serves
    it); an allocated case is kept by its provider and link worker (`case_kept`), for continuity."""

    event_type: ClassVar[str] = "PatientPracticeChanged"

    patient_id: UUID
    from_practice_ods_code: str = Field(pattern=ODS_CODE)
    practice_ods_code: str = Field(pattern=ODS_CODE)
    provider_id: UUID | None = None
    case_kept: bool
    changed_on: date


class CorrectedEntry(StrEnum):
    """An entry of the referral form that may be corrected after intake (docs/domain.md §3.5)."""

    CONDITIONS = "conditions"
    MENTAL_HEALTH = "mental_health"
    REFERRED_ON = "referred_on"
    REFERRER_NAME = "referrer_name"
    REFERRER_ROLE = "referrer_role"
    REASON = "reason"  # the referrer's free text: carried only sealed


@register_event
class ReferralEntriesCorrected(_ReferralEvent):
    """A data-entry error in the referral's own entries corrected on an open referral (issue 18,
    docs/domain.md §3.5): only the corrected entries are carried (`corrected` names them); the
    referrer's free-text reason only sealed under the patient's key. A corrected `referred_on` comes
    with the age on that date (`age_at_referral`).

    Eligibility's criteria on the referral's own entries (age on the referral date, a qualifying
    condition) are judged again with the corrected values: `criteria_failed` lists those it now fails
    (empty: none), under `rulebook_id`. A referral still waiting for allocation that now fails one is
    **found ineligible** (`found_ineligible`): its status becomes `ineligible` on `corrected_on` and a
    `ReferralClosed` (status `ineligible`, the reasons) follows. An allocated episode goes on (the
    list is for its team: discharge or withdraw); `ReferralAssessed` is never sent again."""

    event_type: ClassVar[str] = "ReferralEntriesCorrected"

    patient_id: UUID
    corrected: tuple[CorrectedEntry, ...] = Field(min_length=1)
    corrected_on: date
    conditions: tuple[LongTermCondition, ...] | None = None
    mental_health: tuple[MentalHealthNeed, ...] | None = None
    referred_on: date | None = None
    age_at_referral: int | None = Field(default=None, ge=0, le=150)
    referrer_name: str | None = Field(default=None, min_length=1, max_length=200)
    referrer_role: ReferrerRole | None = None
    reason: EncryptedField | None = Field(default=None, description="referrer's free text, sealed")
    criteria_failed: tuple[IneligibilityReason, ...] = ()
    rulebook_id: str = Field(min_length=1, max_length=60)
    found_ineligible: bool = False


class EarlierEpisode(BaseModel):
    """One ended episode of the patient, as it stood when a new referral of theirs arrived."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    referral_id: UUID
    practice_ods_code: str = Field(pattern=ODS_CODE)
    provider_id: UUID | None = None
    link_worker_id: UUID | None = None  # who held the case at its end (None: never allocated)
    status: ReferralStatus  # discharged, declined or unable_to_contact
    referred_on: date
    closed_on: date
    discharge_reason: DischargeReason | None = None
    decline_reason: DeclineReason | None = None


@register_event
class ReferralEpisodeLinked(_ReferralEvent):
    """A re-referral (issue 18 item 6, docs/domain.md §3.7): the new referral of a patient whose earlier
    episodes have ended is their episode `episode_number`, after `earlier_episodes` (oldest first; the
    last is the previous one). Sent right after `ReferralReceived`, in the same transaction, only when
    there is an earlier episode: a referral without one is episode 1. Episodes that count: those found
    eligible that ended discharged, declined or unable to contact (an ineligible referral was never
    taken on; a withdrawn one was made in error). Codes, dates and ids only."""

    event_type: ClassVar[str] = "ReferralEpisodeLinked"

    patient_id: UUID
    episode_number: int = Field(ge=2)
    earlier_episodes: tuple[EarlierEpisode, ...] = Field(min_length=1)


class WithdrawalReason(StrEnum):
    """Why a referral made in error was withdrawn (a code: free text never travels)."""

    WRONG_PATIENT = "wrong_patient"  # the referral names someone it was not meant for
    DUPLICATE = "duplicate"  # the same referral was sent twice
    NOT_INTENDED = "not_intended"  # sent by mistake: no referral was meant
    OTHER = "other"


@register_event
class ReferralWithdrawn(_ReferralEvent):
    """A referral made in error was withdrawn (issue 18): the episode ends here, as if it had never
    been meant. Terminal, like `ReferralClosed`, but NOT followed by one: there is no discharge
    summary, no outcome and no measure for an episode that should not have existed. Consumers that
    keep "open episode per patient" from `ReferralClosed` treat this event as a close too; the case
    (if one was open) is withdrawn by engagement (`CaseWithdrawn`), and reporting leaves the
    episode out of outcomes from this event's `recorded_at` on (contracts/README.md)."""

    event_type: ClassVar[str] = "ReferralWithdrawn"

    patient_id: UUID
    practice_ods_code: str = Field(pattern=ODS_CODE)
    from_status: ReferralStatus
    reason_code: WithdrawalReason
    withdrawn_on: date
    provider_id: UUID | None = None
    link_worker_id: UUID | None = None


@register_event
class ReferralClosed(_ReferralEvent):
    """The episode ended (any terminal status): the summary the GP and the referrer are sent.

    Dates and codes only, never clinical free text. `contacts_count` is None when not known.
    """

    event_type: ClassVar[str] = "ReferralClosed"

    patient_id: UUID
    practice_ods_code: str = Field(pattern=ODS_CODE)
    status: ReferralStatus
    closed_on: date
    referred_on: date
    provider_id: UUID | None = None
    link_worker_id: UUID | None = None
    first_contact_on: date | None = None
    engaged_on: date | None = None
    discharged_on: date | None = None
    discharge_reason: DischargeReason | None = None
    decline_reason: DeclineReason | None = None
    ineligibility_reasons: tuple[IneligibilityReason, ...] = ()
    contacts_count: int | None = Field(default=None, ge=0)


class _PracticeEvent(EventPayload):
    aggregate_type: ClassVar[str] = "practice"
    topic: ClassVar[str] = topics.REFERRAL

    ods_code: str = Field(pattern=ODS_CODE)
    name: str = Field(min_length=1, max_length=200)
    participating: bool
    provider_id: UUID | None = None


@register_event
class PracticeRegistered(_PracticeEvent):
    event_type: ClassVar[str] = "PracticeRegistered"


@register_event
class PracticeUpdated(_PracticeEvent):
    event_type: ClassVar[str] = "PracticeUpdated"


@register_event
class ProviderRegistered(EventPayload):
    event_type: ClassVar[str] = "ProviderRegistered"
    aggregate_type: ClassVar[str] = "provider"
    topic: ClassVar[str] = topics.REFERRAL

    provider_id: UUID
    name: str = Field(min_length=1, max_length=200)


@register_event
class PatientErased(EventPayload):
    """The patient exercised their right to erasure: their data key is destroyed, so every sealed
    field of theirs, on every copy of the log, is noise from now on. Services delete any plaintext
    they keep about the patient (free text); amounts, dates, codes and evidence ids remain, so the
    outcome ledger is unchanged."""

    event_type: ClassVar[str] = "PatientErased"
    aggregate_type: ClassVar[str] = "patient"
    topic: ClassVar[str] = topics.REFERRAL

    patient_id: UUID
    erased_at: datetime


class _LinkWorkerEvent(EventPayload):
    aggregate_type: ClassVar[str] = "link_worker"
    topic: ClassVar[str] = topics.REFERRAL

    link_worker_id: UUID
    provider_id: UUID
    display_name: str = Field(min_length=1, max_length=200)
    capacity: int = Field(ge=0, le=500)
    active: bool


@register_event
class LinkWorkerRegistered(_LinkWorkerEvent):
    event_type: ClassVar[str] = "LinkWorkerRegistered"


@register_event
class LinkWorkerUpdated(_LinkWorkerEvent):
    event_type: ClassVar[str] = "LinkWorkerUpdated"


REFERRAL_EVENTS: tuple[type[EventPayload], ...] = (
    ReferralReceived,
    ReferralAssessed,
    ReferralAllocated,
    ReferralStatusChanged,
    ReferralReassigned,
    ReferralDeclined,
    ReferralClosed,
    ReferralWithdrawn,
    ReferralEntriesCorrected,
    ReferralEpisodeLinked,
)
