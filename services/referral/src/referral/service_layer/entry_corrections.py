"""Data-entry corrections of a referral's own entries (issue 18 item 1, docs/domain.md §3.5): checked,
the referrer's reason sealed with the patient's key, recorded as `ReferralEntriesCorrected` (and a
`ReferralClosed` when a referral not yet contacted is found ineligible), and audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from contracts.events import EventPayload
from contracts.pii import EncryptedField, decrypt_field, encrypt_field
from contracts.referral import ReferralEntriesCorrected
from linkwell_runtime.auth import Principal, Role
from linkwell_runtime.refusals import Conflict
from linkwell_runtime.repository import retrying_on_conflict
from referral.adapters.access_audit import CORRECT_REFERRAL, record_access
from referral.adapters.patient_keys import PatientKey, key_of_patient
from referral.adapters.referral_rows import referral_row
from referral.domain import HOLDS_A_PLACE, Referral
from referral.domain.entry_corrections import EntryCorrection, correct_entries, valid_entries
from referral.service_layer.allocation import release_held
from referral.service_layer.lifecycle import load_existing
from referral.service_layer.unit_of_work import ReferralUnitOfWork


def correct_referral_entries(
    uow: ReferralUnitOfWork, principal: Principal, referral_id: UUID, correction: EntryCorrection
) -> tuple[Referral, ReferralEntriesResult]:
    """Record the corrected entries (422 for a malformed one, 409 once the episode has ended, when
    nothing changes, for a referral date after the case opened, or when the patient was erased and
    the sealed date of birth or reason is needed) and audit who corrected which entries."""
    valid = valid_entries(correction, uow.today)

    def attempt() -> tuple[tuple[Referral, Referral], ReferralEntriesResult]:
        referral = load_existing(uow, referral_id)
        date_of_birth, sealed_reason = None, None
        new_date = valid.referred_on is not None and valid.referred_on != referral.referred_on
        if new_date or valid.reason is not None:
            key = _patient_key(uow, referral)
            if new_date:
                date_of_birth = _date_of_birth(uow, referral_id, key)
            if valid.reason is not None:
                sealed_reason = encrypt_field(
                    valid.reason, key_id=key.key_id, key=_bytes(key), purpose="referral_reason"
                )
        events = correct_entries(
            referral,
            valid,
            on=uow.today,
            date_of_birth=date_of_birth,
            sealed_reason=sealed_reason,
            by_practice=principal.role is Role.REFERRER,
        )
        uow.events.append(referral_id, referral.version, events, uow.stamp())
        return (referral, referral.apply_all(events)), ReferralEntriesResult.of(events[0])

    (before, after), result = retrying_on_conflict(attempt)
    assert after.patient_id is not None
    if after.is_closed:  # found ineligible: a referral held behind it takes its turn, and a place it held
        release_held(uow, after.patient_id, freed=before.provider_id if before.status in HOLDS_A_PLACE else None)
    record_access(uow.cur, principal, CORRECT_REFERRAL, after.patient_id, result.corrected, uow.now, referral_id)
    return after, result


@dataclass(frozen=True)
class ReferralEntriesResult:
    """What the answer says of a correction: the entries changed, its day, the criteria failed."""

    corrected: list[str]
    corrected_on: date
    criteria_failed: list[dict[str, str]]

    @classmethod
    def of(cls, event: EventPayload) -> ReferralEntriesResult:
        assert isinstance(event, ReferralEntriesCorrected)
        return cls(
            [e.value for e in event.corrected], event.corrected_on, [r.model_dump() for r in event.criteria_failed]
        )


def _patient_key(uow: ReferralUnitOfWork, referral: Referral) -> PatientKey:
    keks = uow.settings.key_encryption_keys
    key = None if referral.patient_id is None else key_of_patient(uow.cur, keks, referral.patient_id)
    if key is None or key.key is None:
        raise Conflict("this patient's data has been erased; the referral's date and reason cannot be corrected")
    return key


def _bytes(key: PatientKey) -> bytes:
    assert key.key is not None  # _patient_key refused a shredded key
    return key.key


def _date_of_birth(uow: ReferralUnitOfWork, referral_id: UUID, key: PatientKey) -> date:
    """The patient's date of birth, opened inside the service to compute the age on a corrected
    referral date (never shown: the correction's audit row names the entries corrected)."""
    row = referral_row(uow.cur, referral_id)
    assert row is not None  # the referral was just loaded
    sealed = EncryptedField.model_validate(row["sealed"]["date_of_birth"])
    return date.fromisoformat(decrypt_field(sealed, _bytes(key), "date_of_birth"))
