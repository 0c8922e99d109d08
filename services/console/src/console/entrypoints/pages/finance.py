"""Payable (totals and lines, downloads), a line's evidence, and what changed between two moments."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from console.adapters.spreadsheets import payable_csv, payable_xlsx
from console.domain import charts
from console.domain import payable as view
from console.domain.access import Area
from console.domain.evidence import timeline, why_payable
from console.entrypoints.web import ApiDep, ServicesDep, area, render
from console.service_layer import inputs
from console.service_layer.ledger import Ledger, ledger_at, what_changed

router = APIRouter(tags=["finance"], dependencies=[area(Area.LEDGER)])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _shown(
    ledger: Ledger, outcome: str | None, provider: str | None, search: str, sort: str, order: str
) -> list[view.Line]:
    """The lines the page shows, in its order: filtered, then sorted."""
    filters = view.Filters(outcome if outcome in ("W", "S") else None, provider or None, search)
    key = sort if sort in view.SORT_KEYS else "achieved_on"
    return view.sorted_lines(view.filtered(ledger.lines, filters), key, descending=order == "desc")


@router.get("/payable", response_class=HTMLResponse, summary="Payable outcomes")
def payable_page(
    request: Request,
    api: ApiDep,
    svc: ServicesDep,
    as_of: str = "",
    known_at: str = "",
    outcome: str = "",
    provider: str = "",
    search: str = "",
    sort: str = "achieved_on",
    order: str = "asc",
    page: str = "1",
) -> Response:
    form = {"as_of": as_of, "known_at": known_at, "outcome": outcome, "provider": provider, "search": search}
    try:
        ledger = ledger_at(api, inputs.moment(as_of, known_at))
    except inputs.BadInput as bad:
        return render(request, "payable.html", 422, form=form, problems=bad.problems, ledger=None)
    lines = _shown(ledger, outcome, provider, search, sort, order)
    number = int(page) if page.isdigit() else 1
    query = {k: v for k, v in form.items() if v}
    return render(
        request,
        "payable.html",
        form=form,
        problems={},
        ledger=ledger,
        all_totals=view.totals(ledger.lines),
        shown_totals=view.totals(lines),
        page=view.page_of(lines, number, svc.settings.page_size),
        providers=sorted({(line.provider_id, line.provider) for line in ledger.lines if line.provider_id}),
        sort=sort,
        order=order,
        query=query,
        qs=lambda **changes: urlencode({**query, "sort": sort, "order": order} | changes),
    )


@router.get("/payable.{fmt}", summary="Download the lines shown (csv or xlsx)")
def payable_download(
    request: Request,
    fmt: str,
    api: ApiDep,
    as_of: str = "",
    known_at: str = "",
    outcome: str = "",
    provider: str = "",
    search: str = "",
    sort: str = "achieved_on",
    order: str = "asc",
) -> Response:
    """Every line matching the page's filters, in the page's order (all pages)."""
    if fmt not in ("csv", "xlsx"):
        return render(request, "error.html", 404, title="Not found", message="Downloads are CSV or XLSX.")
    try:
        ledger = ledger_at(api, inputs.moment(as_of, known_at))
    except inputs.BadInput as bad:
        return render(request, "error.html", 422, title="Cannot download", message="; ".join(bad.problems.values()))
    lines = _shown(ledger, outcome, provider, search, sort, order)
    name = f"payable-{ledger.as_of}.{fmt}"
    body, media = (payable_csv(lines), "text/csv") if fmt == "csv" else (payable_xlsx(lines), XLSX)
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/payable/{outcome_id}", response_class=HTMLResponse, summary="A line's evidence")
def line_page(request: Request, outcome_id: str, api: ApiDep, as_of: str = "", known_at: str = "") -> Response:
    try:
        moment = inputs.moment(as_of, known_at)
    except inputs.BadInput as bad:
        return render(request, "error.html", 422, title="Not a valid moment", message="; ".join(bad.problems.values()))
    answer = api.evidence(outcome_id, moment.as_of, moment.known_at)
    ledger = ledger_at(api, replace(moment, as_of=answer["as_of"], known_at=answer["known_at"]))
    line = next((entry for entry in ledger.lines if entry.outcome_id == answer["outcome"]["outcome_id"]), None)
    return render(
        request,
        "line.html",
        answer=answer,
        line=line,
        raw=answer["outcome"],
        why=why_payable(answer["outcome"], answer["evidence"]),
        moments=timeline(answer["evidence"]),
    )


@router.get("/changes", response_class=HTMLResponse, summary="What changed between two moments")
def changes_page(request: Request, api: ApiDep, as_of: str = "", before: str = "", after: str = "") -> Response:
    form = {"as_of": as_of, "before": before, "after": after}
    if not before and not after:
        return render(request, "changes.html", form=form, problems={}, result=None)
    try:
        moment = inputs.moment(as_of, None)
        problems: dict[str, str] = {}
        for name, value in (("before", before), ("after", after)):
            try:
                inputs.instant(value, name)
            except inputs.BadInput as bad:
                problems |= bad.problems
        if problems:
            raise inputs.BadInput(problems)
    except inputs.BadInput as bad:
        return render(request, "changes.html", 422, form=form, problems=bad.problems, result=None)
    first, second, result = what_changed(api, moment.as_of, before.strip(), after.strip())
    return render(request, "changes.html", form=form, problems={}, result=result, first=first, second=second)


@router.get("/charts", response_class=HTMLResponse, summary="Charts")
def charts_page(request: Request, api: ApiDep, as_of: str = "", known_at: str = "") -> Response:
    """Payable per month by outcome (stacked) and cumulative payments per payer, each with its table."""
    form = {"as_of": as_of, "known_at": known_at}
    try:
        ledger = ledger_at(api, inputs.moment(as_of, known_at))
    except inputs.BadInput as bad:
        return render(request, "charts.html", 422, form=form, problems=bad.problems, ledger=None)
    monthly = charts.payable_per_month_by_outcome(ledger.lines)
    cumulative = charts.cumulative_per_payer(ledger.lines)
    return render(
        request,
        "charts.html",
        form=form,
        problems={},
        ledger=ledger,
        monthly=monthly,
        bars=charts.stacked_bars(monthly),
        cumulative=cumulative,
        polylines=charts.line_chart(cumulative),
        months=charts.month_labels,
        label=charts.label,
        size=(charts.WIDTH, charts.HEIGHT, charts.LEFT, charts.BOTTOM),
    )
