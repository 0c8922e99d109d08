"""Claims: the closed claims, each opened by its month; close the next one after the reporting service's
exact preview (a dry run of closing) and an explicit confirmation."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.adapters.platform_api import ApiRefused, PlatformApi
from console.domain.access import Area
from console.entrypoints.web import ApiDep, CsrfDep, area, render
from console.service_layer import inputs

router = APIRouter(tags=["claims"], dependencies=[area(Area.CLAIMS)])


@router.get("/claims", response_class=HTMLResponse, summary="Claims")
def claims_page(request: Request, api: ApiDep, period: str = "") -> Response:
    """The closed claims (newest first), open one by month, or preview closing one."""
    if period:
        try:
            return RedirectResponse(f"/claims/{inputs.period(period)}", status_code=303)
        except inputs.BadInput as bad:
            return _claims(request, api, 422, bad.problems, period)
    return _claims(request, api, 200, {}, "")


@router.get("/claims/close", response_class=HTMLResponse, summary="Preview closing a month")
def close_preview(request: Request, api: ApiDep, period: str = "") -> Response:
    """Exactly the claim closing the month now would store (the reporting service's dry run: lines,
    late outcomes, clawbacks and amount changes against earlier claims, totals); nothing is stored."""
    try:
        month = inputs.period(period)
    except inputs.BadInput as bad:
        return _claims(request, api, 422, bad.problems, period)
    try:
        preview = api.claim_preview(month)
    except ApiRefused as refused:
        return _claims(request, api, refused.status, {"period": refused.detail}, month)
    return render(
        request,
        "claim_preview.html",
        period=month,
        claim=preview,
        idempotency_key=str(uuid.uuid4()),
        problems={},
    )


@router.post("/claims/close", summary="Close a month's claim", dependencies=[CsrfDep])
def close_claim(
    request: Request,
    api: ApiDep,
    period: Annotated[str, Form()] = "",
    confirm: Annotated[str, Form()] = "",
    idempotency_key: Annotated[str, Form()] = "",
) -> Response:
    try:
        month = inputs.period(period)
    except inputs.BadInput as bad:
        return _claims(request, api, 422, bad.problems, period)
    if confirm != "yes":
        problems = {"confirm": "Confirm that this claim should be submitted"}
        return _claims(request, api, 422, problems, month)
    try:
        api.close_claim(month, idempotency_key or str(uuid.uuid4()))
    except ApiRefused as refused:
        return _claims(request, api, refused.status, {"period": refused.detail}, month)
    return RedirectResponse(f"/claims/{month}", status_code=303)


@router.get("/claims/{period}", response_class=HTMLResponse, summary="A claim")
def claim_page(request: Request, period: str, api: ApiDep) -> Response:
    try:
        month = inputs.period(period)
    except inputs.BadInput as bad:
        return _claims(request, api, 422, bad.problems, period)
    try:
        claim = api.claim(month)
    except ApiRefused as refused:
        if refused.status != 404:
            raise
        return _claims(request, api, 404, {"period": f"No claim has been closed for {month}."}, month)
    return render(request, "claim.html", claim=claim, period=month)


def _claims(request: Request, api: PlatformApi, status: int, problems: dict[str, str], period: str) -> Response:
    return render(request, "claims.html", status, problems=problems, period=period, claims=api.claims())
