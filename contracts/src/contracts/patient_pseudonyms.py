"""`linkwell.referral.patient-pseudonyms.v1`: the NHS-number pseudonym of each patient the referral
service knows, on a compacted topic, so that erasure can take it back (docs/security.md §10).

Not an event: a keyed record. Key: the patient id (text). Value: a `PatientPseudonym` as JSON, sent
once when referral first knows the patient; a tombstone (null value) when the patient is erased. The
topic is compacted (`topics.COMPACTED_TOPIC_CONFIG`): after a tombstone, the key's earlier value is
cleaned away, so no copy of the pseudonym outlives the erasure for long. Reporting keeps its
pseudonym -> patient mapping from it (the hospital activity commissioners upload names patients by
NHS number); the events themselves no longer carry the pseudonym (`ReferralReceived` v2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from contracts.errors import ContractError
from contracts.referral import HMAC_HEX


class PatientPseudonym(BaseModel):
    """One patient's NHS-number pseudonym (keyed HMAC, `contracts.pii.nhs_number_pseudonym`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: Literal[1] = 1
    patient_id: UUID
    nhs_number_pseudonym: str = Field(pattern=HMAC_HEX, description="keyed HMAC of the NHS number")
    known_since: datetime = Field(
        description="when referral first knew the patient: of two patients with one pseudonym (the first "
        "erased, the same person referred again), the later is the live one"
    )


@dataclass(frozen=True)
class PseudonymForgotten:
    """A tombstone: the patient was erased; forget their pseudonym."""

    patient_id: UUID


def record_key(patient_id: UUID) -> bytes:
    return str(patient_id).encode()


def record_value(record: PatientPseudonym) -> bytes:
    return record.model_dump_json().encode()


def decode_record(key: bytes | None, value: bytes | None) -> PatientPseudonym | PseudonymForgotten:
    """A record off the topic; ContractError (dead-letter it) if the key or value is not one of ours."""
    try:
        patient_id = UUID((key or b"").decode())
    except (UnicodeDecodeError, ValueError):
        raise ContractError("patient pseudonym record: the key is not a patient id") from None
    if value is None:
        return PseudonymForgotten(patient_id)
    try:
        record = PatientPseudonym.model_validate_json(value)
    except ValidationError as err:
        fields = ", ".join(".".join(map(str, e["loc"])) or "<root>" for e in err.errors()[:5])
        raise ContractError(f"patient pseudonym record invalid: {fields}") from None  # never the values
    if record.patient_id != patient_id:
        raise ContractError("patient pseudonym record: the key and the value name different patients")
    return record
