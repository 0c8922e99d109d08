"""GET /metrics/...: the dashboards (funnel, caseloads, Well-being Star change, linkages), scoped to a
provider manager's own provider, as JSON, CSV or XLSX."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response

from linkwell_runtime.auth import Principal
from linkwell_runtime.problems import responses
from reporting.entrypoints.dependencies import Format, MetricsReader, Uow, scoped_provider
from reporting.entrypoints.exports import TABLE_FORMATS, table_response
from reporting.entrypoints.schemas import CaseloadRow, FirstContactRow, FunnelRow, Items, LinkageRow, WellbeingRow
from reporting.service_layer import metrics
from reporting.service_layer.unit_of_work import ReportingUnitOfWork

router = APIRouter(prefix="/metrics", tags=["metrics"])
REFUSED = {**TABLE_FORMATS, **responses(401, 403, 422)}

Metric = Callable[[ReportingUnitOfWork, UUID | None], list[dict[str, Any]]]


@router.get("/funnel", summary="Referrals reaching each stage", response_model=Items[FunnelRow], responses=REFUSED)
def funnel(principal: MetricsReader, uow: Uow, provider_id: UUID | None = None, fmt: Format = "json") -> Response:
    """Per practice, provider and month: referrals reaching each stage (discharges by reason)."""
    return _metric("funnel", metrics.funnel, uow, principal, provider_id, fmt)


@router.get("/caseload", summary="Open cases per link worker", response_model=Items[CaseloadRow], responses=REFUSED)
def caseload(principal: MetricsReader, uow: Uow, provider_id: UUID | None = None, fmt: Format = "json") -> Response:
    """Open and held cases per link worker."""
    return _metric("caseload", metrics.caseload, uow, principal, provider_id, fmt)


@router.get("/wellbeing", summary="Well-being Star change", response_model=Items[WellbeingRow], responses=REFUSED)
def wellbeing(principal: MetricsReader, uow: Uow, provider_id: UUID | None = None, fmt: Format = "json") -> Response:
    """Star baselines and reviews per provider: change from baseline to latest review per area and in total."""
    return _metric("wellbeing", metrics.wellbeing, uow, principal, provider_id, fmt)


@router.get("/linkages", summary="Linkages by category and status", response_model=Items[LinkageRow], responses=REFUSED)
def linkages(principal: MetricsReader, uow: Uow, provider_id: UUID | None = None, fmt: Format = "json") -> Response:
    """Linkages per provider, category and status."""
    return _metric("linkages", metrics.linkages, uow, principal, provider_id, fmt)


@router.get(
    "/time-to-first-contact",
    summary="Days from allocation to the first contact",
    response_model=Items[FirstContactRow],
    responses=REFUSED,
)
def time_to_first_contact(
    principal: MetricsReader, uow: Uow, provider_id: UUID | None = None, fmt: Format = "json"
) -> Response:
    """Per provider (`link_worker_id` null) and per link worker allocated: referrals with a first contact or
    attempt, those still waiting, and the median and 90th percentile of the days it took."""
    return _metric("time_to_first_contact", metrics.first_contact, uow, principal, provider_id, fmt)


def _metric(
    name: str, metric: Metric, uow: ReportingUnitOfWork, principal: Principal, provider_id: UUID | None, fmt: str
) -> Response:
    rows = metric(uow, scoped_provider(principal, provider_id))
    columns = list(rows[0]) if rows else []
    return table_response({"items": rows}, [(name, columns, [[row[c] for c in columns] for row in rows])], fmt, name)
