"""`/patients/{id}/erasure`: a patient's right to erasure, carried out by an operator."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from linkwell_runtime.auth import Principal, Role, require_roles
from referral.entrypoints.dependencies import UowDep
from referral.service_layer import erasure

router = APIRouter(prefix="/patients", tags=["patients"])
Operator = Annotated[Principal, Depends(require_roles(Role.OPERATOR))]


class Erased(BaseModel):
    patient_id: UUID
    erased_at: datetime
    already_erased: bool


@router.post("/{patient_id}/erasure", response_model=Erased)
def erase_patient(patient_id: UUID, principal: Operator, uow: UowDep) -> dict:
    """Destroy the patient's data key (crypto-shredding): every sealed field of theirs becomes
    unreadable everywhere, other services delete the free text they keep, and amounts, dates and
    evidence ids remain. Idempotent: a repeated request answers the first erasure. 404 for an unknown
    patient."""
    return erasure.erase_patient(uow, principal, patient_id)
