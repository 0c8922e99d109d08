"""The event that closes an episode, carrying the summary the GP and the referrer are sent."""

from __future__ import annotations

from datetime import date

from contracts.referral import DischargeReason, ReferralClosed
from referral.domain.referral_state import ReferralState


def closing_event(
    referral: ReferralState, on: date, discharge_reason: DischargeReason | None, contacts_count: int | None
) -> ReferralClosed:
    """Close a referral that has just reached a terminal status. Successful contacts are 0 when
    the referral never reached `contacted`; otherwise whatever the case reported, if anything."""
    assert referral.is_closed and referral.referral_id and referral.patient_id and referral.referred_on
    never_contacted = referral.first_contact_on is None
    return ReferralClosed(
        referral_id=referral.referral_id,
        patient_id=referral.patient_id,
        practice_ods_code=referral.practice_ods_code,
        status=referral.status,
        closed_on=on,
        referred_on=referral.referred_on,
        provider_id=referral.provider_id,
        link_worker_id=referral.link_worker_id,
        first_contact_on=referral.first_contact_on,
        engaged_on=referral.engaged_on,
        discharged_on=on if discharge_reason is not None else None,
        discharge_reason=discharge_reason,
        decline_reason=referral.decline_reason,
        ineligibility_reasons=referral.ineligibility_reasons,
        contacts_count=0 if never_contacted else contacts_count,
    )
