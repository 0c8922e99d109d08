"""Corrections after intake (issue 18): a patient's name and contact details, on an open referral.

Pure: the values are checked and normalised here; the service layer seals them (the domain never
holds a key) and the aggregate decides whether the referral may still be corrected.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from uuid import UUID

from contracts.events import EventPayload
from contracts.pii import EncryptedField
from contracts.referral import CorrectedDetail, CorrectionReason, PatientDetailsCorrected, PatientPracticeChanged
from referral.domain.contact_details import normalise_email, normalise_name, normalise_phone, normalise_postcode
from referral.domain.errors import InvalidCommand, MalformedReferral, ValidationProblem
from referral.domain.intake_dates import business_date_problems
from referral.domain.lifecycle import HOLDS_A_PLACE, OPEN_STATUSES
from referral.domain.referral_state import ReferralState

MAX_ADDRESS_LENGTH = 300


def normalise_address(raw: str) -> str:
    """Address lines as one line: runs of whitespace become one space; not blank, at most 300 characters."""
    address = " ".join(raw.split())
    if not address:
        raise ValueError("must not be blank")
    if len(address) > MAX_ADDRESS_LENGTH:
        raise ValueError(f"at most {MAX_ADDRESS_LENGTH} characters")
    return address


_NORMALISERS: Mapping[CorrectedDetail, Callable[[str], str]] = {
    CorrectedDetail.GIVEN_NAME: normalise_name,
    CorrectedDetail.FAMILY_NAME: normalise_name,
    CorrectedDetail.ADDRESS: normalise_address,
    CorrectedDetail.POSTCODE: normalise_postcode,
    CorrectedDetail.PHONE: normalise_phone,
    CorrectedDetail.EMAIL: normalise_email,
}


def corrected_values(values: Mapping[str, str | None]) -> dict[CorrectedDetail, str]:
    """The corrected details, normalised; every malformed one is listed (MalformedReferral), and at
    least one must be given."""
    given = {CorrectedDetail(name): raw for name, raw in values.items() if raw is not None}
    problems, valid = [], {}
    for detail, raw in given.items():
        try:
            valid[detail] = _NORMALISERS[detail](raw)
        except ValueError as exc:
            problems.append(ValidationProblem(detail.value, str(exc)))
    if not given:
        problems.append(ValidationProblem("details", "give at least one detail to correct"))
    if problems:
        raise MalformedReferral(problems)
    return valid


def correct_details(
    referral: ReferralState,
    reason: CorrectionReason,
    sealed: Mapping[CorrectedDetail, EncryptedField],
    on: date,
) -> list[EventPayload]:
    """The corrected details of an open referral's patient (a closed episode keeps what it had)."""
    if referral.referral_id is None or referral.patient_id is None:
        raise InvalidCommand("no such referral")
    if referral.status not in OPEN_STATUSES:
        status = referral.status.value if referral.status else "missing"
        raise InvalidCommand(f"a {status} referral's details cannot be corrected: the episode has ended")
    if not sealed:
        raise InvalidCommand("nothing to correct")
    order = list(CorrectedDetail)
    corrected = tuple(sorted(sealed, key=order.index))
    return [
        PatientDetailsCorrected(
            referral_id=referral.referral_id,
            patient_id=referral.patient_id,
            corrected=corrected,
            reason_code=reason,
            corrected_on=on,
            **{detail.value: field for detail, field in sealed.items()},
        )
    ]


def change_practice(
    referral: ReferralState,
    *,
    to_practice: str,
    participating: bool,
    to_provider_id: UUID | None,
    on: date,
    today: date,
) -> list[EventPayload]:
    """The patient moved to another practice (docs/domain.md §3.5). A referral not yet allocated
    follows the new practice to its provider's queue; an allocated case is kept by its provider and
    link worker. Refused for a closed episode, the same practice, a practice that does not take part,
    and a day in the future, before the programme's start or before the referral."""
    if referral.referral_id is None or referral.patient_id is None or referral.practice_ods_code is None:
        raise InvalidCommand("no such referral")
    if referral.status not in OPEN_STATUSES:
        status = referral.status.value if referral.status else "missing"
        raise InvalidCommand(f"a {status} referral cannot move practice: the episode has ended")
    problems = []
    if to_practice == referral.practice_ods_code:
        problems.append(ValidationProblem("practice_ods_code", "the patient is registered there already"))
    day_problems = business_date_problems("moved_on", on, today)
    problems += day_problems
    if not day_problems and referral.referred_on is not None and on < referral.referred_on:
        problems.append(ValidationProblem("moved_on", f"is before the referral ({referral.referred_on})"))
    if problems:
        raise MalformedReferral(problems)
    if not participating:
        raise InvalidCommand(
            f"practice {to_practice} does not take part: discharge the case as moved_away or decline instead"
        )
    kept = referral.status in HOLDS_A_PLACE
    return [
        PatientPracticeChanged(
            referral_id=referral.referral_id,
            patient_id=referral.patient_id,
            from_practice_ods_code=referral.practice_ods_code,
            practice_ods_code=to_practice,
            provider_id=referral.provider_id if kept else to_provider_id,
            case_kept=kept,
            changed_on=on,
        )
    ]


def sealing_purpose(detail: CorrectedDetail) -> str:
    """The AES-GCM purpose a corrected value is sealed under: its field's own name, as at intake."""
    return detail.value


__all__ = ["change_practice", "correct_details", "corrected_values", "normalise_address", "sealing_purpose"]
