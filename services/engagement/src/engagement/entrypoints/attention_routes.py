"""`GET /caseload/attention`: a link worker's open cases with the dates their day is made of (issue 19).
Thin: the service layer reads, this answers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from engagement.entrypoints.case_writes import Uow
from engagement.entrypoints.schemas import attention as t
from engagement.service_layer import attention_views
from linkwell_runtime import problems
from linkwell_runtime.auth import PrincipalDep

router = APIRouter(prefix="/caseload")


@router.get(
    "/attention",
    response_model=t.CaseloadAttention,
    responses=problems.responses(401, 403),
    tags=["cases"],
    summary="The caller's open cases, with their attempts, goals, steps and linkages",
)
def caseload_attention(uow: Uow, who: PrincipalDep) -> Any:
    """A link worker's own open cases (any other role: 403): failed attempts (count, first and last
    day) against the unable-to-contact rule, goals with their target dates, open action steps with
    their due dates, linkages with the day they took their status. Codes and dates only, no text."""
    return attention_views.caseload_attention(uow, who)
