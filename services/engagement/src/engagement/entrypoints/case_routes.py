"""The case itself (docs/architecture.md §5, engagement): the list, one case in full, and its lifecycle
(extension, discharge, reassignment). Thin: parse, call the service layer, answer."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from contracts.practice import DischargeSummaryIssued
from engagement.domain import CaseStatus
from engagement.entrypoints.case_writes import READ_REFUSALS, WRITE_REFUSALS, Uow, write
from engagement.entrypoints.schemas import answers as a
from engagement.entrypoints.schemas import bodies as b
from engagement.service_layer import discharge_summaries, handlers, views
from engagement.service_layer.access import may_manage
from linkwell_runtime import problems, web
from linkwell_runtime.auth import PrincipalDep
from linkwell_runtime.input_guards import PageNumber

router = APIRouter(prefix="/cases")


@router.get(
    "",
    response_model=a.CasePage,
    responses=problems.responses(401, 403),
    tags=["cases"],
    summary="List the cases the caller may see",
)
def list_cases(
    uow: Uow,
    who: PrincipalDep,
    link_worker_id: UUID | None = None,
    status: CaseStatus | None = None,
    due_for_review: bool | None = None,
    past_limit: bool | None = None,
    first_contact: Literal["due", "overdue"] | None = None,
    safeguarding: Literal["open"] | None = None,
    page: PageNumber = 1,
) -> Any:
    """A link worker's caseload, a manager's provider, everything for the platform's services;
    `due_for_review` (a review due today or overdue), `past_limit`, `first_contact` (`due`: no contact
    or attempt yet and the deadline, 2 working days after allocation, is today or later; `overdue`:
    the deadline has passed), `safeguarding=open` (at least one open safeguarding concern: every row
    carries `open_safeguarding_concerns` and `highest_open_risk`)."""
    return views.list_cases(
        uow,
        who,
        link_worker_id=link_worker_id,
        status=None if status is None else status.value,
        due_for_review=due_for_review,
        past_limit=past_limit,
        first_contact=first_contact,
        safeguarding=safeguarding,
        page=page,
    )


@router.get(
    "/{case_id}", response_model=a.CaseView, responses=READ_REFUSALS, tags=["cases"], summary="One case in full"
)
def get_case(case_id: UUID, uow: Uow, who: PrincipalDep) -> Any:
    """Its contacts, attempts, goals, Stars, linkages, extensions and discharge; review and time limit."""
    return views.case_view(uow, who, case_id)


@router.post(
    "/{case_id}/extension",
    status_code=201,
    response_model=a.ExtensionAnswer,
    responses=WRITE_REFUSALS,
    tags=["case lifecycle"],
    summary="Extend a case past its two-year limit",
)
def extend(
    case_id: UUID,
    body: b.ExtensionCreate,
    request: Request,
    uow: Uow,
    who: PrincipalDep,
    key: web.IdempotencyKey = None,
) -> Response:
    """Keep the case open past its two-year limit, with a reason and a review date."""
    return write(
        uow,
        request,
        who,
        key,
        body,
        a.ExtensionAnswer,
        may_manage(uow, who, case_id),
        lambda: handlers.extend(uow, who, case_id, **body.model_dump()),
    )


@router.get(
    "/{case_id}/discharge-summary/preview",
    response_model=DischargeSummaryIssued,
    responses=problems.responses(401, 403, 404, 409, 422),
    tags=["case lifecycle"],
    summary="Preview the discharge summary a discharge would send",
)
def preview_discharge_summary(
    case_id: UUID,
    uow: Uow,
    who: PrincipalDep,
    discharged_on: date,
    reason: Annotated[str, Query(max_length=100)],
) -> Any:
    """Exactly what `POST /cases/{id}/discharge` with this date and reason would send the practice now
    (codes, dates, contacts; outcomes only with consent to share them with the GP); nothing is stored.
    The discharge's own refusals apply: a bad reason or date 422, a date before the last thing recorded
    or a closed case 409."""
    return discharge_summaries.preview_discharge_summary(uow, who, case_id, reason=reason, discharged_on=discharged_on)


@router.post(
    "/{case_id}/discharge",
    status_code=201,
    response_model=a.DischargeAnswer,
    responses=WRITE_REFUSALS,
    tags=["case lifecycle"],
    summary="Discharge a case",
)
def discharge(
    case_id: UUID,
    body: b.DischargeCreate,
    request: Request,
    uow: Uow,
    who: PrincipalDep,
    key: web.IdempotencyKey = None,
) -> Response:
    """End the case with a reason; no further contacts, Stars or linkages."""
    return write(
        uow,
        request,
        who,
        key,
        body,
        a.DischargeAnswer,
        may_manage(uow, who, case_id),
        lambda: handlers.discharge(uow, who, case_id, **body.model_dump()),
    )


@router.post(
    "/{case_id}/reassignment",
    status_code=201,
    response_model=a.ReassignmentAnswer,
    responses=WRITE_REFUSALS,
    tags=["case lifecycle"],
    summary="Hand a case to a colleague",
)
def reassign(
    case_id: UUID,
    body: b.ReassignmentCreate,
    request: Request,
    uow: Uow,
    who: PrincipalDep,
    key: web.IdempotencyKey = None,
) -> Response:
    """To another active link worker of the same provider."""
    return write(
        uow,
        request,
        who,
        key,
        body,
        a.ReassignmentAnswer,
        may_manage(uow, who, case_id),
        lambda: handlers.reassign(uow, who, case_id, **body.model_dump()),
    )
