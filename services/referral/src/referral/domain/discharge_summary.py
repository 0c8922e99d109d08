"""The summary sent back to the GP and the referrer when an episode ends (docs/domain.md §3).

Built only from the referral's own events: dates, codes and counts, never clinical free text.
The patient is named by `patient_id`; whoever sends the letter looks the identity up under audit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from contracts.events import EventPayload
from contracts.referral import DeclineReason, DischargeReason, IneligibilityReason, ReferralStatus
from referral.domain.errors import InvalidCommand
from referral.domain.referral_state import ReferralState


@dataclass(frozen=True)
class DischargeSummary:
    referral_id: UUID
    patient_id: UUID
    practice_ods_code: str
    outcome: ReferralStatus  # the terminal status: discharged, declined, unable_to_contact, ineligible
    referred_on: date
    closed_on: date
    first_contact_on: date | None
    engaged_on: date | None
    discharged_on: date | None
    discharge_reason: DischargeReason | None
    decline_reason: DeclineReason | None
    ineligibility_reasons: tuple[IneligibilityReason, ...]
    contacts_count: int | None  # None: the case did not say
    provider_id: UUID | None
    link_worker_id: UUID | None


def discharge_summary(history: Iterable[EventPayload]) -> DischargeSummary:
    """The summary of a closed referral from its full event history."""
    return summary_of(ReferralState.from_events(history))


def summary_of(referral: ReferralState) -> DischargeSummary:
    if referral.closed_on is None:
        raise InvalidCommand("only a closed referral has a discharge summary")
    assert referral.referral_id and referral.patient_id and referral.practice_ods_code and referral.referred_on
    assert referral.status is not None
    discharged = referral.status is ReferralStatus.DISCHARGED
    return DischargeSummary(
        referral_id=referral.referral_id,
        patient_id=referral.patient_id,
        practice_ods_code=referral.practice_ods_code,
        outcome=referral.status,
        referred_on=referral.referred_on,
        closed_on=referral.closed_on,
        first_contact_on=referral.first_contact_on,
        engaged_on=referral.engaged_on,
        discharged_on=referral.closed_on if discharged else None,
        discharge_reason=referral.discharge_reason,
        decline_reason=referral.decline_reason,
        ineligibility_reasons=referral.ineligibility_reasons,
        contacts_count=referral.contacts_count,
        provider_id=referral.provider_id,
        link_worker_id=referral.link_worker_id,
    )
