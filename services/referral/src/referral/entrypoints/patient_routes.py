"""`/patients/{id}/erasure`: a patient's right to erasure, carried out by an operator."""

from __future__ import annotations

from dataclasses import asdict
from uuid import UUID

from fastapi import APIRouter

from linkwell_runtime.problems import responses
from referral.entrypoints.dependencies import Operator, UowDep
from referral.entrypoints.schemas.answers import Erased
from referral.service_layer import erasure

router = APIRouter(prefix="/patients", tags=["patients"])


@router.post(
    "/{patient_id}/erasure", response_model=Erased, summary="Erase a patient", responses=responses(401, 403, 404, 409)
)
def erase_patient(patient_id: UUID, principal: Operator, uow: UowDep) -> Erased:
    """Destroy the patient's data key (crypto-shredding): every sealed field of theirs becomes
    unreadable everywhere, other services delete the free text they keep, and amounts, dates and
    evidence ids remain. Idempotent: a repeated request answers the first erasure. 404 for an unknown
    patient; 409 while an episode of theirs is open (close it first)."""
    return Erased(**asdict(erasure.erase_patient(uow, principal, patient_id)))
