"""The access audit, for auditors: who opened which patient's identifiable data or free text, in which
role and when, as the referral service (patients and referrals) and the engagement service (casework)
recorded it; filtered by time, patient, person and action, a page at a time, and every matching row
as CSV (streamed from the service as it comes)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from console.adapters.platform_api import ApiRefused
from console.domain.access import Area
from console.entrypoints.web import ApiDep, area, render
from console.service_layer.audit_filters import PAGE_SIZE, SOURCES, AuditQuery, audit_query
from console.service_layer.inputs import BadInput, field_problems

router = APIRouter(tags=["audit"], dependencies=[area(Area.AUDIT)])
# the API's query parameter -> the page's field, for a refusal the page's own checks did not foresee
API_FIELDS = {
    "from": "since",
    "to": "until",
    "patient_id": "patient_id",
    "subject": "subject",
    "action": "action",
    "page": "page",
}


def typed_filters(
    service: str = "referral",
    since: str = "",
    until: str = "",
    patient_id: str = "",
    subject: str = "",
    action: str = "",
) -> dict[str, str]:
    """The filters as the auditor typed them (the form shows them again as typed; `audit_query` refuses
    each bad one, of any length, beside its field)."""
    return {
        "service": service,
        "since": since,
        "until": until,
        "patient_id": patient_id,
        "subject": subject,
        "action": action,
    }


TypedFilters = Annotated[dict[str, str], Depends(typed_filters)]


@router.get("/audit", response_class=HTMLResponse, summary="The access audit")
def audit_page(request: Request, api: ApiDep, typed: TypedFilters, page: str = "1") -> Response:
    try:
        query = audit_query(typed, page)
    except BadInput as bad:
        return _page(request, 422, typed, bad.problems)
    try:
        answer = api.audit(query.service, **query.api_filters(), page=query.page, page_size=PAGE_SIZE)
    except ApiRefused as refused:
        if refused.status != 422:
            raise
        return _page(request, 422, typed, field_problems(refused.errors, API_FIELDS))
    return _page(request, 200, typed, {}, query=query, answer=answer)


@router.get("/audit.csv", summary="The access audit as CSV (every matching row)")
def audit_download(request: Request, api: ApiDep, typed: TypedFilters) -> Response:
    try:
        query = audit_query(typed, "1")
    except BadInput as bad:
        return _page(request, 422, typed, bad.problems)
    rows = api.audit_csv(query.service, **query.api_filters())
    return StreamingResponse(
        rows,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="access-audit-{query.service}.csv"'},
    )


def _page(
    request: Request,
    status: int,
    typed: dict[str, str],
    problems: dict[str, str],
    *,
    query: AuditQuery | None = None,
    answer: dict[str, Any] | None = None,
) -> Response:
    return render(
        request, "audit.html", status, typed=typed, problems=problems, sources=SOURCES, query=query, answer=answer
    )
