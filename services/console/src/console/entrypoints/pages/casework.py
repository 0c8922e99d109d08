"""A link worker's day (issue 19): today's list (also their home page), the caseload with search, and a
case with its timeline, Star chart and forms. Only link workers (else the 403 page); the engagement API
narrows every read and write to the caller's own caseload, and the console asks for nothing wider."""

from __future__ import annotations

import uuid
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.adapters.platform_api import ApiRefused, PlatformApi
from console.domain.access import Area
from console.domain.caseload import STATUS_WORDS, nhs_spaced
from console.domain.star_chart import AREA_NAMES, AREAS
from console.entrypoints.web import ApiDep, CsrfDep, ServicesDep, area, render
from console.service_layer import casework, inputs
from console.service_layer.case_forms import FORMS, CaseForm, api_path, kept

router = APIRouter(tags=["link worker"], dependencies=[area(Area.CASEWORK)])

MULTI_VALUED = frozenset({"goal_areas"})
CHOICES = {
    "modes": ("face_to_face", "telephone", "email", "text"),
    "venues": ("gp_practice", "community_centre", "cafe", "home", "other"),
    "discharge_reasons": (
        "goals_met",
        "self_managing",
        "disengaged",
        "moved_away",
        "deceased",
        "declined_further_support",
        "reached_time_limit",
        "other",
    ),
    "areas": [(a, AREA_NAMES[a]) for a in AREAS],
}


def today_page(request: Request, api: PlatformApi) -> Response:
    return render(request, "today.html", **casework.today(api), status_words=STATUS_WORDS)


@router.get("/today", response_class=HTMLResponse, summary="What needs me today")
def today(request: Request, api: ApiDep) -> Response:
    """Across the caseload: first contacts, Star reviews, the two-year limit, linkages to follow up,
    goals and action steps past their date, open safeguarding concerns, the unable-to-contact rule."""
    return today_page(request, api)


@router.get("/caseload", response_class=HTMLResponse, summary="The caseload")
def caseload(request: Request, api: ApiDep, q: str = "") -> Response:
    """Patients by name, status and next thing due; search by name or NHS number within the caseload."""
    return render(request, "caseload.html", **casework.caseload(api, q[:100]), status_words=STATUS_WORDS)


@router.get("/cases/{case_id}", response_class=HTMLResponse, summary="A case")
def case(
    request: Request, case_id: uuid.UUID, api: ApiDep, done: str = "", service_search: str = "", category: str = ""
) -> Response:
    """The case's timeline, Star chart and forms; `service_search`/`category` search the directory."""
    return _case_page(request, api, str(case_id), 200, done=done, search=service_search[:100], category=category)


@router.post("/cases/{case_id}/{form_name}", summary="Record something in a case", dependencies=[CsrfDep])
async def record(request: Request, case_id: uuid.UUID, form_name: str, api: ApiDep, svc: ServicesDep) -> Response:
    """One of the case page's forms, stored once per its `Idempotency-Key` (one per form drawn); on an
    error the page again with each problem beside its field, nothing stored."""
    form = FORMS.get(form_name)
    if form is None:
        return render(request, "error.html", 404, title="Page not found", message="There is no such form.")
    posted = await request.form()
    typed: dict[str, str | list[str]] = {
        k: ([str(v) for v in posted.getlist(k)] if k in MULTI_VALUED else str(posted.get(k) or "")) for k in posted
    }
    key = str(posted.get("idempotency_key") or "") or str(uuid.uuid4())
    try:
        body = form.body(typed, ZoneInfo(svc.settings.timezone))
    except inputs.BadInput as bad:
        return _refused(request, api, str(case_id), form, typed, bad.problems)
    try:
        api.record(str(case_id), api_path(form, typed), body, key)
    except ApiRefused as refused:
        if refused.status == 422:
            problems = inputs.field_problems(refused.errors, form.api_names)
            if inputs.GENERAL in problems:  # on this form's summary, not another's
                problems[f"_{form.name}"] = problems.pop(inputs.GENERAL)
            return _refused(request, api, str(case_id), form, typed, problems or {f"_{form.name}": refused.detail})
        if refused.status == 409:  # the case's state forbids it (closed, no contact yet...): said on the form
            return _refused(request, api, str(case_id), form, typed, {f"_{form.name}": refused.detail})
        raise
    return RedirectResponse(f"/cases/{case_id}?done={form.name}", status_code=303)


def _refused(
    request: Request, api: PlatformApi, case_id: str, form: CaseForm, typed: Any, problems: dict[str, str]
) -> Response:
    return _case_page(request, api, case_id, 422, problems=problems, open_form=form.name, typed=kept(form, typed))


def _case_page(
    request: Request,
    api: PlatformApi,
    case_id: str,
    status: int,
    *,
    problems: dict[str, str] | None = None,
    open_form: str = "",
    typed: dict[str, Any] | None = None,
    done: str = "",
    search: str = "",
    category: str = "",
) -> Response:
    page = casework.case_page(api, case_id)
    directory = casework.directory_search(api, search, category)
    keys = {name: str(uuid.uuid4()) for name in FORMS}  # a fresh key per form drawn: a resubmit is stored once
    return render(
        request,
        "case.html",
        status,
        **page,
        directory=directory,
        search=search,
        category=category,
        problems=problems or {},
        open_form=open_form,
        typed=typed or {},
        done=FORMS[done].done if done in FORMS else "",
        keys=keys,
        choices=CHOICES,
        status_words=STATUS_WORDS,
        nhs_spaced=nhs_spaced,
    )
