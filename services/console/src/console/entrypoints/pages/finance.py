"""Payable (totals and lines, downloads), a line's evidence, and what changed between two moments."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from console.adapters.spreadsheets import payable_csv, payable_xlsx
from console.domain import charts
from console.domain import payable as view
from console.domain.access import Area
from console.domain.evidence import timeline, why_payable
from console.entrypoints.web import ApiDep, ServicesDep, area, form_page, render
from console.service_layer import inputs
from console.service_layer.ledger import download, ledger_at, names, what_changed
from console.service_layer.ledger import payable_page as payable_page_of

router = APIRouter(tags=["finance"], dependencies=[area(Area.LEDGER)])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MOMENT = {"as_of": "as_of", "known_at": "known_at"}  # the reporting API's parameters → the forms' fields
form_page(
    "/payable",
    "payable.html",
    ("as_of", "known_at", "outcome", "provider", "search"),
    MOMENT | {"provider_id": "provider", "outcome_type": "outcome", "search": "search"},
    ledger=None,
)
form_page("/charts", "charts.html", ("as_of", "known_at"), MOMENT, ledger=None)
form_page("/changes", "changes.html", ("as_of", "before", "after"), {"as_of": "as_of"}, result=None)


def _filters(outcome: str, provider: str, search: str) -> view.Filters:
    return view.Filters(outcome if outcome in ("W", "S") else None, provider or None, search[:100])


def _sort(sort: str, order: str) -> str:
    """The reporting API's order for the page's column and direction (by date when unknown)."""
    return view.api_sort(sort if sort in view.SORT_KEYS else "achieved_on", descending=order == "desc")


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
    """The whole answer's totals, and one page of the lines matching the filters (the reporting API
    filters, sorts, totals and pages them)."""
    form = {"as_of": as_of, "known_at": known_at, "outcome": outcome, "provider": provider, "search": search}
    try:
        moment = inputs.moment(as_of, known_at)
    except inputs.BadInput as bad:
        return render(request, "payable.html", 422, form=form, problems=bad.problems, ledger=None)
    number = int(page) if page.isdigit() and len(page) < 9 else 1
    shown = payable_page_of(
        api, moment, _filters(outcome, provider, search), _sort(sort, order), number, svc.settings.page_size
    )
    query = {k: v for k, v in form.items() if v}
    return render(
        request,
        "payable.html",
        form=form,
        problems={},
        ledger=shown,
        all_totals=shown.all_totals,
        shown_totals=shown.shown_totals,
        page=shown.page,
        providers=shown.providers,
        sort=sort if sort in view.SORT_KEYS else "achieved_on",
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
    """Every line matching the page's filters, in the page's order (all pages), written as the
    reporting API's pages arrive."""
    if fmt not in ("csv", "xlsx"):
        return render(request, "error.html", 404, title="Not found", message="Downloads are CSV or XLSX.")
    try:
        moment = inputs.moment(as_of, known_at)
    except inputs.BadInput as bad:
        return render(request, "error.html", 422, title="Cannot download", message="; ".join(bad.problems.values()))
    found = download(api, moment, _filters(outcome, provider, search), _sort(sort, order))
    name = f"payable-{found.as_of}.{fmt}"
    if fmt == "csv":
        body, media = payable_csv(found.lines, found.payers), "text/csv"
    else:
        body, media = payable_xlsx(found.lines, found.payers, found.totals), XLSX
    return StreamingResponse(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/payable/{outcome_id}", response_class=HTMLResponse, summary="A line's evidence")
def line_page(request: Request, outcome_id: str, api: ApiDep, as_of: str = "", known_at: str = "") -> Response:
    try:
        moment = inputs.moment(as_of, known_at)
    except inputs.BadInput as bad:
        return render(request, "error.html", 422, title="Not a valid moment", message="; ".join(bad.problems.values()))
    answer = api.evidence(outcome_id, moment.as_of, moment.known_at)
    providers, workers, _ = names(api)
    line = view.line_from_api(answer["outcome"], providers, workers)
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
    """Payable per month by outcome (stacked), cumulative payments per payer and the distribution of
    Star change per episode, each with its table, all for the same moment."""
    form = {"as_of": as_of, "known_at": known_at}
    try:
        ledger = ledger_at(api, inputs.moment(as_of, known_at))
    except inputs.BadInput as bad:
        return render(request, "charts.html", 422, form=form, problems=bad.problems, ledger=None)
    monthly = charts.payable_per_month_by_outcome(ledger.lines)
    cumulative = charts.cumulative_per_payer(ledger.lines)
    star = charts.star_change_from_api(api.star_change(ledger.as_of, ledger.known_at))
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
        star=star,
        histogram=charts.histogram(star),
        star_top=charts.STAR_TOP,
        star_axis=charts.STAR_AXIS,
        signed=charts.signed,
        area_name=charts.area_name,
    )
