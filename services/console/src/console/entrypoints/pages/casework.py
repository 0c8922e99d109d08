"""A link worker's day (issue 19): today's list (also their home page), the caseload with search, and a
case with its timeline, Star chart and forms. Only link workers (else the 403 page); the engagement API
narrows every read and write to the caller's own caseload, and the console asks for nothing wider."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.adapters.platform_api import ApiRefused, PlatformApi
from console.domain.access import Area
from console.domain.case_items import status_name
from console.domain.caseload import STATUS_WORDS, nhs_spaced
from console.domain.directory_results import within
from console.entrypoints.pages.case_choices import CHOICES
from console.entrypoints.web import ApiDep, CsrfDep, ServicesDep, area, render
from console.service_layer import casework, inputs, patient_details
from console.service_layer.case_form_kit import MULTI_VALUED
from console.service_layer.case_forms import FORMS, CaseForm, api_path, kept

router = APIRouter(tags=["link worker"], dependencies=[area(Area.CASEWORK)])


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
    request: Request,
    case_id: uuid.UUID,
    api: ApiDep,
    done: str = "",
    service_search: str = "",
    category: str = "",
    distance: str = "",
) -> Response:
    """The case's timeline, Star chart and forms; `service_search`/`category`/`distance` (km from the
    patient's postcode) search the directory."""
    return _case_page(
        request, api, str(case_id), 200, done=done, search=service_search[:100], category=category, distance=distance
    )


@router.get("/cases/{case_id}/discharge-preview", response_class=HTMLResponse, summary="Preview a discharge")
def discharge_preview(
    request: Request, case_id: uuid.UUID, api: ApiDep, discharge_on: str = "", discharge_reason: str = ""
) -> Response:
    """What the discharge summary will say, then the form that sends the discharge (one Idempotency-Key,
    so a double submission discharges once). A date or reason missing: the case page, beside the field."""
    typed = {"discharge_on": discharge_on.strip(), "discharge_reason": discharge_reason}
    problems = {}
    try:
        day = date.fromisoformat(typed["discharge_on"])
    except ValueError:
        problems["discharge_on"] = "Enter the discharge date, for example 2026-03-31"
    if discharge_reason not in CHOICES["discharge_reasons"]:
        problems["discharge_reason"] = "Choose the reason for the discharge"
    if problems:
        return _refused(request, api, str(case_id), FORMS["discharge"], typed, problems)
    try:
        page = casework.discharge_preview(api, str(case_id), day, discharge_reason)
    except ApiRefused as refused:  # what the discharge itself would refuse, beside its field or on the form
        if refused.status not in (409, 422):
            raise
        form = FORMS["discharge"]
        problems = inputs.field_problems(refused.errors, form.api_names) if refused.status == 422 else {}
        if inputs.GENERAL in problems:  # on the discharge form's summary
            problems["_discharge"] = problems.pop(inputs.GENERAL)
        return _refused(request, api, str(case_id), form, typed, problems or {"_discharge": refused.detail})
    return render(
        request,
        "discharge_preview.html",
        **page,
        typed=typed,
        key=str(uuid.uuid4()),
        status_words=STATUS_WORDS,
        nhs_spaced=nhs_spaced,
    )


@router.get("/cases/{case_id}/plan", response_class=HTMLResponse, summary="The patient's printable action plan")
def action_plan(request: Request, case_id: uuid.UUID, api: ApiDep, svc: ServicesDep) -> Response:
    """Goals and their steps with dates, the services linked, the Star chart: for the patient to take
    away (print it; the print stylesheet leaves out the console's header and links)."""
    return render(
        request,
        "action_plan.html",
        **casework.action_plan(api, str(case_id)),
        status_name=status_name,
        today=datetime.fromtimestamp(svc.clock(), ZoneInfo(svc.settings.timezone)).date(),
    )


@router.post(
    f"/cases/{{case_id}}/{patient_details.FORM}", summary="Correct the patient's details", dependencies=[CsrfDep]
)
async def correct_details(request: Request, case_id: uuid.UUID, api: ApiDep) -> Response:
    """The referral service's `POST /referrals/{id}/patient-details` (a case's id is its referral's): only
    the details changed and the reason, stored once per the form's `Idempotency-Key`; an error: the case
    page again with each problem beside its field, nothing stored."""
    typed, problems = patient_details.correct(api, str(case_id), await request.form())
    if problems:
        return _case_page(
            request, api, str(case_id), 422, problems=problems, open_form=patient_details.FORM, typed=typed
        )
    return RedirectResponse(f"/cases/{case_id}?done={patient_details.FORM}", status_code=303)


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
        api.record(str(case_id), api_path(form, typed), body, key, method=form.method)
    except ApiRefused as refused:
        if refused.status == 422:
            problems = inputs.field_problems(refused.errors, form.api_names)
            if inputs.GENERAL in problems:  # on this form's summary, not another's
                problems[f"_{form.name}"] = problems.pop(inputs.GENERAL)
            return _refused(request, api, str(case_id), form, typed, problems or {f"_{form.name}": refused.detail})
        if refused.status in (404, 409) and form.ids and refused.detail != "case not found":
            # an item gone or moved on meanwhile (a step of a goal since closed...): said on the form
            return _refused(request, api, str(case_id), form, typed, {f"_{form.name}": refused.detail})
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
    distance: str = "",
) -> Response:
    page = casework.case_page(api, case_id)
    km = within(distance)
    directory = casework.directory_search(api, search, category, page["patient"].postcode, km)
    # a fresh key per form drawn: a resubmit is stored once
    keys = {name: str(uuid.uuid4()) for name in (*FORMS, patient_details.FORM)}
    return render(
        request,
        "case.html",
        status,
        **page,
        directory=directory,
        search=search,
        category=category,
        distance=str(km or ""),
        problems=problems or {},
        open_form=open_form,
        typed=patient_details.recorded(page["patient"]) | (typed or {}),
        done=FORMS[done].done if done in FORMS else patient_details.DONE if done == patient_details.FORM else "",
        keys=keys,
        choices=CHOICES,
        details_reasons=patient_details.REASON_CHOICES,
        status_words=STATUS_WORDS,
        status_name=status_name,
        nhs_spaced=nhs_spaced,
    )
