"""A referrer's pages (issue 19): refer a patient (every failed eligibility criterion shown at once), the
practice's referrals with where each one is, and a referral with its discharge summary. Only referrers
(else the 403 page); the referral API narrows every read and write to the referrer's own practice (their
token's), and the console asks for nothing wider: another practice's referral is "not found"."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.adapters.platform_api import ApiRefused, PlatformApi
from console.adapters.sessions import Session
from console.domain.access import Area
from console.entrypoints.web import ApiDep, CsrfDep, area, render
from console.service_layer import inputs, patient_details, referral_changes, referral_form, referrer_pages

router = APIRouter(tags=["referrer"])
Referrer = area(Area.REFERRALS)


def _practice(session: Session) -> str:
    return str(session.claims.get("practice") or "")


@router.get("/refer", response_class=HTMLResponse, summary="Refer a patient")
def refer_page(request: Request, _: Session = Referrer) -> Response:
    return _form(request, 200)


@router.post("/refer", summary="Send a referral", dependencies=[CsrfDep])
async def refer(request: Request, api: ApiDep, session: Session = Referrer) -> Response:
    """The referral, stored once per the form's `Idempotency-Key`. Malformed fields: the form again with
    each problem beside its field, nothing stored. A well-formed referral that fails eligibility is
    recorded as not eligible and the form says every reason at once; an eligible one opens its page."""
    posted = await request.form()
    lists = {name: [str(v) for v in posted.getlist(name)] for name in referral_form.LIST_FIELDS}
    typed = referral_form.typed_from(posted, lists)
    key = str(posted.get("idempotency_key") or "") or str(uuid.uuid4())
    try:
        created = api.refer(referral_form.body(typed, _practice(session)), key)
    except inputs.BadInput as bad:
        return _form(request, 422, typed=typed, problems=bad.problems)
    except ApiRefused as refused:
        if refused.status == 422:
            problems = referral_form.field_problems(refused.errors) or {inputs.GENERAL: refused.detail}
            return _form(request, 422, typed=typed, problems=problems)
        if refused.status == 409:  # e.g. the patient's data was erased: said on the form
            return _form(request, 409, typed=typed, problems={inputs.GENERAL: refused.detail})
        raise
    eligibility = created.get("eligibility") or {}
    if eligibility.get("eligible") is False:
        return _form(request, 200, typed=typed, refused=eligibility.get("reasons") or [], created=created)
    return RedirectResponse(f"/referrals/{created['referral_id']}?done=referred", status_code=303)


def _form(
    request: Request,
    status: int,
    *,
    typed: dict[str, Any] | None = None,
    problems: dict[str, str] | None = None,
    refused: list[dict[str, Any]] | None = None,
    created: dict[str, Any] | None = None,
) -> Response:
    empty: dict[str, Any] = {name: [] for name in referral_form.LIST_FIELDS}
    return render(
        request,
        "refer.html",
        status,
        typed=typed or empty,
        problems=problems or {},
        ineligible=refused or [],
        created=created,
        key=str(uuid.uuid4()),  # a fresh key per form drawn: a double submit is stored once
        choices=referral_form.CHOICES,
    )


@router.get("/referrals", response_class=HTMLResponse, summary="The practice's referrals")
def referrals(request: Request, api: ApiDep, page: str = "1", session: Session = Referrer) -> Response:
    """Newest first, each with its patient's name (an audited read) and where it is on its way; a page
    that is not a number is the first."""
    number = int(page) if page.isdigit() and len(page) < 8 else 1
    listed = referrer_pages.practice_referrals(api, _practice(session), number)
    return render(request, "referrals.html", **listed, practice=_practice(session))


DONE = {
    "corrected": "The referral's entries were corrected.",
    "withdrawn": "The referral was withdrawn.",
    patient_details.FORM: patient_details.DONE,
}


@router.get("/referrals/{referral_id}", response_class=HTMLResponse, summary="A referral")
def referral(request: Request, referral_id: uuid.UUID, api: ApiDep, done: str = "", _: Session = Referrer) -> Response:
    return _referral_page(
        request, api, str(referral_id), 200, just_referred=done == "referred", done=DONE.get(done, "")
    )


@router.post("/referrals/{referral_id}/{form}", summary="Correct or withdraw a referral", dependencies=[CsrfDep])
async def change(request: Request, referral_id: uuid.UUID, form: str, api: ApiDep, _: Session = Referrer) -> Response:
    """The referral's entries corrected (`entries`), the patient's details corrected (`patient-details`)
    or the referral withdrawn as made in error (`withdrawal`), each stored once per its form's
    `Idempotency-Key`; an error: the referral's page again with each problem beside its field, nothing
    stored."""
    if form not in ("entries", "withdrawal", patient_details.FORM):
        return render(request, "error.html", 404, title="Page not found", message="There is no such form.")
    posted = await request.form()
    if form == patient_details.FORM:
        kept, refused = patient_details.correct(api, str(referral_id), posted)
        if refused:
            return _referral_page(request, api, str(referral_id), 422, typed=kept, problems=refused, open_form=form)
        return RedirectResponse(f"/referrals/{referral_id}?done={form}", 303)
    # only this form's fields: the other form is drawn again as recorded
    entries = form == "entries"
    texts = referral_changes.ENTRY_TEXTS if entries else referral_changes.WITHDRAWAL_FIELDS
    typed: dict[str, Any] = {name: str(posted.get(name) or "")[: referral_form.MAX_TEXT] for name in texts}
    if entries:
        typed |= {name: [str(v) for v in posted.getlist(name)][:20] for name in referral_changes.ENTRY_LISTS}
    key = str(posted.get("idempotency_key") or "") or str(uuid.uuid4())
    shown = str(referral_id)
    try:
        body = referral_changes.entries_body(typed) if entries else referral_changes.withdrawal_body(typed)
        api.change_referral(shown, form, body, key)
    except inputs.BadInput as bad:
        return _referral_page(request, api, shown, 422, typed=typed, problems=bad.problems, open_form=form)
    except ApiRefused as refused:
        if refused.status == 422:
            problems = referral_changes.field_problems(refused.errors, form) or {f"_{form}": refused.detail}
        elif refused.status == 409:  # nothing to correct, the episode has ended...: said on the form
            problems = {f"_{form}": refused.detail}
        else:
            raise
        return _referral_page(request, api, shown, 422, typed=typed, problems=problems, open_form=form)
    return RedirectResponse(f"/referrals/{shown}?done={'corrected' if entries else 'withdrawn'}", 303)


def _referral_page(
    request: Request,
    api: PlatformApi,
    referral_id: str,
    status: int,
    *,
    just_referred: bool = False,
    done: str = "",
    typed: dict[str, Any] | None = None,
    problems: dict[str, str] | None = None,
    open_form: str = "",
) -> Response:
    page = referrer_pages.referral_page(api, referral_id)
    recorded = referral_changes.recorded_entries(page["referral"])
    return render(
        request,
        "referral.html",
        status,
        **page,
        just_referred=just_referred,
        done=done,
        is_open=page["referral"]["status"] in referral_changes.OPEN,
        typed=recorded | patient_details.recorded(page["patient"]) | (typed or {}),
        problems=problems or {},
        open_form=open_form,
        keys={name: str(uuid.uuid4()) for name in ("entries", "withdrawal", patient_details.FORM)},
        choices=referral_form.CHOICES,
        withdrawal_choices=referral_changes.WITHDRAWAL_CHOICES,
        details_reasons=patient_details.REASON_CHOICES,
    )
