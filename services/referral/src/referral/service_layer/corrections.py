"""Corrections after intake (issue 18): a patient's name and contact details on an open referral,
sealed with the patient's key, recorded as `PatientDetailsCorrected`, and audited; a patient's move to
another practice (`PatientPracticeChanged`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from uuid import UUID

from contracts.pii import encrypt_field
from contracts.referral import CorrectionReason
from linkwell_runtime.auth import Principal
from linkwell_runtime.refusals import Conflict, Invalid
from linkwell_runtime.repository import retrying_on_conflict
from referral.adapters import reference_data
from referral.adapters.access_audit import record_access
from referral.adapters.patient_keys import key_of_patient
from referral.domain import HOLDS_A_PLACE, Referral
from referral.domain.corrections import change_practice, correct_details, corrected_values, sealing_purpose
from referral.domain.intake import normalised_ods_code
from referral.service_layer.allocation import drain_queue
from referral.service_layer.lifecycle import load_existing
from referral.service_layer.unit_of_work import ReferralUnitOfWork


def correct_patient_details(
    uow: ReferralUnitOfWork,
    principal: Principal,
    referral_id: UUID,
    reason: CorrectionReason,
    values: Mapping[str, str | None],
) -> Referral:
    """Seal and record the corrected details (422 for a malformed one, 409 once the episode has ended
    or the patient was erased), and audit who changed which identifiable fields."""
    valid = corrected_values(values)

    def attempt() -> Referral:
        referral = load_existing(uow, referral_id)
        keks = uow.settings.key_encryption_keys
        key = None if referral.patient_id is None else key_of_patient(uow.cur, keks, referral.patient_id)
        if key is None or key.key is None:
            raise Conflict("this patient's data has been erased; their details cannot be corrected")
        sealed = {
            detail: encrypt_field(value, key_id=key.key_id, key=key.key, purpose=sealing_purpose(detail))
            for detail, value in valid.items()
        }
        events = correct_details(referral, reason, sealed, uow.today)
        uow.events.append(referral_id, referral.version, events, uow.stamp())
        return referral.apply_all(events)

    after = retrying_on_conflict(attempt)
    assert after.patient_id is not None
    record_access(
        uow.cur, principal, "correct_identifiable", after.patient_id, [d.value for d in valid], uow.now, referral_id
    )
    return after


def move_practice(
    uow: ReferralUnitOfWork, referral_id: UUID, practice_ods_code: str, moved_on: date | None
) -> Referral:
    """The patient registered with another practice (docs/domain.md §3.5): record it and, for a
    referral still waiting, drain the new provider's queue (it may be allocated at once)."""
    code = normalised_ods_code(practice_ods_code)
    practice = reference_data.practice(uow.cur, code)
    if practice is None:
        raise Invalid("practice_ods_code", "not a practice the platform knows")

    def attempt() -> Referral:
        referral = load_existing(uow, referral_id)
        events = change_practice(
            referral,
            to_practice=practice.ods_code,
            participating=practice.participating,
            to_provider_id=practice.provider_id,
            on=moved_on or uow.today,
            today=uow.today,
        )
        uow.events.append(referral_id, referral.version, events, uow.stamp())
        return referral.apply_all(events)

    after = retrying_on_conflict(attempt)
    if after.status not in HOLDS_A_PLACE:
        after = drain_queue(uow, practice.provider_id).get(referral_id, after)
    return after
