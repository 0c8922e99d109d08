"""A provider manager's pages (issue 19): the team (each link worker's caseload against capacity and
time to first contact, the allocation queue with waiting times, open safeguarding concerns), one link
worker's cases with a form to hand each to a colleague, and a form to change their capacity. Only
provider managers (else the 403 page); every API narrows what it answers to the manager's own
organisation (their token's), and the console asks for nothing wider."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.adapters.platform_api import ApiRefused, PlatformApi
from console.adapters.sessions import Session
from console.domain.access import Area
from console.domain.case_items import status_name
from console.domain.caseload import STATUS_WORDS, nhs_spaced
from console.domain.team import days_word
from console.entrypoints.pages.case_choices import CHOICES
from console.entrypoints.web import ApiDep, CsrfDep, ServicesDep, area, render
from console.service_layer import inputs, manager_pages

router = APIRouter(tags=["provider manager"])
Manager = area(Area.TEAM)
DONE = {"reassigned": "Case handed over.", "capacity": "Capacity changed."}


def _provider(session: Session) -> str:
    return str(session.provider_id or session.claims.get("provider_id") or "")


@router.get("/team", response_class=HTMLResponse, summary="The team")
def team(request: Request, api: ApiDep, svc: ServicesDep, session: Session = Manager) -> Response:
    today = datetime.now(ZoneInfo(svc.settings.timezone)).date()
    page = manager_pages.team_page(api, _provider(session), today)
    return render(request, "team.html", **page, today=today, days_word=days_word)


@router.get("/team/link-workers/{link_worker_id}", response_class=HTMLResponse, summary="A link worker's cases")
def worker(
    request: Request, link_worker_id: uuid.UUID, api: ApiDep, done: str = "", session: Session = Manager
) -> Response:
    return _worker_page(request, api, session, str(link_worker_id), 200, done=DONE.get(done, ""))


@router.get("/team/cases/{case_id}", response_class=HTMLResponse, summary="One of the organisation's cases")
def case(request: Request, case_id: uuid.UUID, api: ApiDep, done: str = "", session: Session = Manager) -> Response:
    """The case page as its link worker sees it, read only, with a form to hand it to a colleague."""
    return _case_page(request, api, session, str(case_id), 200, done=DONE.get(done, ""))


@router.post("/team/link-workers/{link_worker_id}/capacity", summary="Change a capacity", dependencies=[CsrfDep])
async def capacity(request: Request, link_worker_id: uuid.UUID, api: ApiDep, session: Session = Manager) -> Response:
    """The new caseload capacity, stored once per the form's `Idempotency-Key`; more room allocates the
    queue's head at once (the referral service does). A bad number: beside the field, nothing stored."""
    posted = await request.form()
    typed = {"capacity": str(posted.get("capacity") or "").strip()[:10]}
    key = str(posted.get("idempotency_key") or "") or str(uuid.uuid4())
    worker_id = str(link_worker_id)
    if not typed["capacity"].isdigit() or int(typed["capacity"]) > 500:
        problems = {"capacity": "Enter the capacity as a whole number of cases from 0 to 500"}
        return _worker_page(request, api, session, worker_id, 422, problems=problems, typed=typed)
    try:
        api.change_link_worker(worker_id, {"capacity": int(typed["capacity"])}, key)
    except ApiRefused as refused:
        if refused.status != 422:
            raise
        problems = inputs.field_problems(refused.errors, {"capacity": "capacity"}) or {"capacity": refused.detail}
        return _worker_page(request, api, session, worker_id, 422, problems=problems, typed=typed)
    return RedirectResponse(f"/team/link-workers/{worker_id}?done=capacity", status_code=303)


@router.post("/team/cases/{case_id}/reassignment", summary="Hand a case to a colleague", dependencies=[CsrfDep])
async def reassign(request: Request, case_id: uuid.UUID, api: ApiDep, session: Session = Manager) -> Response:
    """The case to another link worker of the organisation (engagement's `POST /cases/{id}/reassignment`,
    stored once per the form's `Idempotency-Key`); the referral service then moves its caseload place.
    Sent from a link worker's page or (`back=case`) from the case's own page, and answered there."""
    posted = await request.form()
    holder = str(posted.get("from_link_worker_id") or "")
    to = str(posted.get("link_worker_id") or "")
    key = str(posted.get("idempotency_key") or "") or str(uuid.uuid4())
    from_case = posted.get("back") == "case"
    field = f"to_{case_id}"
    back = holder if _is_uuid(holder) else ""
    if not _is_uuid(to):
        message = "Choose the colleague to hand the case to"
        if from_case:
            return _case_page(request, api, session, str(case_id), 422, problems={field: message})
        return _refused(request, api, session, back, field, message)
    try:
        api.record(str(case_id), "reassignment", {"link_worker_id": to}, key)
    except ApiRefused as refused:
        if refused.status not in (409, 422):
            raise
        if from_case:
            return _case_page(request, api, session, str(case_id), 422, problems={field: _said(refused)})
        return _refused(request, api, session, back, field, _said(refused))
    if from_case:
        return RedirectResponse(f"/team/cases/{case_id}?done=reassigned", status_code=303)
    return RedirectResponse(f"/team/link-workers/{back}?done=reassigned" if back else "/team", status_code=303)


def _said(refused: ApiRefused) -> str:
    if refused.errors:
        return "; ".join(str(e.get("msg") or "").removeprefix("Value error, ") for e in refused.errors)
    return refused.detail


def _refused(request: Request, api: PlatformApi, session: Session, holder: str, field: str, message: str) -> Response:
    if not holder:
        return render(request, "error.html", 422, title="The case could not be handed over", message=message)
    return _worker_page(request, api, session, holder, 422, problems={field: message})


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _worker_page(
    request: Request,
    api: PlatformApi,
    session: Session,
    link_worker_id: str,
    status: int,
    *,
    problems: dict[str, str] | None = None,
    typed: dict[str, Any] | None = None,
    done: str = "",
) -> Response:
    page = manager_pages.worker_page(api, _provider(session), link_worker_id)
    if page is None:
        message = "There is no such link worker in your organisation."
        return render(request, "error.html", 404, title="Not found", message=message)
    keys = {"capacity": str(uuid.uuid4())} | {str(c["case_id"]): str(uuid.uuid4()) for c in page["cases"]}
    return render(
        request,
        "team_worker.html",
        status,
        **page,
        problems=problems or {},
        typed=typed or {},
        done=done,
        keys=keys,
        status_words=STATUS_WORDS,
    )


def _case_page(
    request: Request,
    api: PlatformApi,
    session: Session,
    case_id: str,
    status: int,
    *,
    problems: dict[str, str] | None = None,
    done: str = "",
) -> Response:
    try:
        page = manager_pages.case_page(api, _provider(session), case_id)
    except ApiRefused as refused:
        if refused.status != 404:
            raise
        message = "There is no such case in your organisation."
        return render(request, "error.html", 404, title="Not found", message=message)
    return render(
        request,
        "case.html",
        status,
        **page,
        manager=True,
        directory={},
        problems=problems or {},
        open_form="",
        typed={},
        done=done,
        keys={"reassignment": str(uuid.uuid4())},
        choices=CHOICES,
        status_words=STATUS_WORDS,
        status_name=status_name,
        nhs_spaced=nhs_spaced,
    )
