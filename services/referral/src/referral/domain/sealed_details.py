"""The patient's identifiable details, sealed before they go into any event (docs/architecture.md §2).

Sealing needs a key, which the domain never holds: the service layer passes the `encrypt` function in
(e.g. `contracts.pii.encrypt_field` bound to the patient's data key). The NHS-number pseudonym is not
among them: no event carries it (`ReferralReceived` v2); it travels on its own compacted topic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from contracts.pii import EncryptedField
from referral.domain.intake_forms import ValidReferral

Encrypt = Callable[[str, str], EncryptedField]  # (plaintext, purpose) -> sealed field


@dataclass(frozen=True)
class SealedPatientDetails:
    nhs_number: EncryptedField
    given_name: EncryptedField
    family_name: EncryptedField
    date_of_birth: EncryptedField
    postcode: EncryptedField
    phone: EncryptedField
    email: EncryptedField | None = None
    reason: EncryptedField | None = None  # free text may name people: sealed like the rest


def seal_patient_details(referral: ValidReferral, encrypt: Encrypt) -> SealedPatientDetails:
    """Every identifiable field of a well-formed referral, encrypted under its field's purpose."""

    def optional(value: str | None, purpose: str) -> EncryptedField | None:
        return None if value is None else encrypt(value, purpose)

    return SealedPatientDetails(
        nhs_number=encrypt(referral.nhs_number, "nhs_number"),
        given_name=encrypt(referral.given_name, "given_name"),
        family_name=encrypt(referral.family_name, "family_name"),
        date_of_birth=encrypt(referral.date_of_birth.isoformat(), "date_of_birth"),
        postcode=encrypt(referral.postcode, "postcode"),
        phone=encrypt(referral.phone, "phone"),
        email=optional(referral.email, "email"),
        reason=optional(referral.reason, "referral_reason"),
    )
