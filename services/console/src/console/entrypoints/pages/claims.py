"""Claims: open a closed month's claim; close the next one after a preview and an explicit confirmation."""

from __future__ import annotations

import calendar
import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.adapters.platform_api import ApiRefused
from console.domain import payable as view
from console.domain.access import Area
from console.entrypoints.web import ApiDep, CsrfDep, area, render
from console.service_layer import inputs
from console.service_layer.ledger import ledger_at

router = APIRouter(tags=["claims"], dependencies=[area(Area.CLAIMS)])


@router.get("/claims", response_class=HTMLResponse, summary="Claims")
def claims_page(request: Request, period: str = "") -> Response:
    """Open a claim by month, or preview closing one."""
    if period:
        try:
            return RedirectResponse(f"/claims/{inputs.period(period)}", status_code=303)
        except inputs.BadInput as bad:
            return render(request, "claims.html", 422, problems=bad.problems, period=period)
    return render(request, "claims.html", problems={}, period="")


@router.get("/claims/close", response_class=HTMLResponse, summary="Preview closing a month")
def close_preview(request: Request, api: ApiDep, period: str = "") -> Response:
    """The lines achieved in the month as known now: the claim's new lines (adjustments against earlier
    claims are computed by the reporting service when it closes)."""
    try:
        month = inputs.period(period)
    except inputs.BadInput as bad:
        return render(request, "claims.html", 422, problems=bad.problems, period=period)
    first, last = _month(month)
    ledger = ledger_at(api, inputs.moment(last.isoformat(), None))
    lines = [line for line in ledger.lines if first <= line.achieved_on <= last]
    return render(
        request,
        "claim_preview.html",
        period=month,
        lines=lines,
        totals=view.totals(lines),
        ledger=ledger,
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
        return render(request, "claims.html", 422, problems=bad.problems, period=period)
    if confirm != "yes":
        problems = {"confirm": "Confirm that this claim should be submitted"}
        return render(request, "claims.html", 422, problems=problems, period=month)
    try:
        api.close_claim(month, idempotency_key or str(uuid.uuid4()))
    except ApiRefused as refused:
        return render(request, "claims.html", refused.status, problems={"period": refused.detail}, period=month)
    return RedirectResponse(f"/claims/{month}", status_code=303)


@router.get("/claims/{period}", response_class=HTMLResponse, summary="A claim")
def claim_page(request: Request, period: str, api: ApiDep) -> Response:
    try:
        month = inputs.period(period)
    except inputs.BadInput as bad:
        return render(request, "claims.html", 422, problems=bad.problems, period=period)
    try:
        claim = api.claim(month)
    except ApiRefused as refused:
        if refused.status != 404:
            raise
        message = f"No claim has been closed for {month}."
        return render(request, "claims.html", 404, problems={"period": message}, period=month)
    return render(request, "claim.html", claim=claim, period=month)


def _month(period: str) -> tuple[date, date]:
    year, month = (int(part) for part in period.split("-"))
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
