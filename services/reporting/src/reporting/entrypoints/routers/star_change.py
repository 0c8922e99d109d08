"""GET /metrics/star-change: the distribution of Well-being Star change per episode (baseline to
latest), for effective date D as known at T, scoped to a provider manager's own provider; counts
only (no patient or case ids), as JSON, CSV (the total's bins) or XLSX (every table)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from linkwell_runtime.input_guards import UtcInstant
from linkwell_runtime.problems import responses
from reporting.domain.star_change import TOTAL_BIN_WIDTH, Bin
from reporting.entrypoints.dependencies import Format, MetricsReader, Uow, scoped_provider
from reporting.entrypoints.exports import TABLE_FORMATS, table_response
from reporting.service_layer.star_change import StarChange, star_change

router = APIRouter(prefix="/metrics", tags=["metrics"])


class ChangeBin(BaseModel):
    low: int = Field(description="the smallest change in the bin")
    high: int = Field(description="the largest change in the bin (inclusive)")
    count: int = Field(description="episodes whose change is in the bin")


class TotalChange(BaseModel):
    bin_width: int = Field(description="points per bin; bins start on multiples of it, so 0 and +2 are edges")
    mean: float | None = Field(description="null when no episode has a change yet")
    median: float | None
    bins: list[ChangeBin] = Field(description="every bin from -72 to +72, in order")


class StarChangeAnswer(BaseModel):
    """How many episodes changed by how much, baseline to latest Star, as known at `known_at`."""

    as_of: date = Field(description="Stars taken on or before this date count")
    known_at: datetime = Field(description="facts recorded by then count (voids and corrections included)")
    provider_id: UUID | None = Field(description="the provider asked for (a provider manager's own); null: all")
    episodes: int = Field(description="episodes with a baseline Star")
    baseline_only: int = Field(description="episodes with a baseline and no later Star: no change yet, not in bins")
    reviewed: int = Field(description="episodes with a later Star: the bins add up to this")
    total_change: TotalChange
    area_change: dict[str, list[ChangeBin]] = Field(description="per Star area: one bin per point, -9 to +9")


@router.get(
    "/star-change",
    summary="Distribution of Well-being Star change per episode",
    response_model=StarChangeAnswer,
    responses={**TABLE_FORMATS, **responses(401, 403, 422)},
)
def star_change_distribution(
    principal: MetricsReader,
    uow: Uow,
    as_of: date | None = None,
    known_at: UtcInstant | None = None,
    provider_id: UUID | None = None,
    fmt: Format = "json",
) -> Response:
    """Per episode, the change of the total (and of each area) from the baseline Star (the earliest not
    voided) to the latest not voided, taken by `as_of` (default: today), from facts recorded by
    `known_at` (default: now). A provider manager sees only their own provider's episodes."""
    found = star_change(uow, as_of, known_at, scoped_provider(principal, provider_id))
    body = _body(found)
    areas = [[area, b["low"], b["count"]] for area, bins in body["area_change"].items() for b in bins]
    sheets = [
        ("total_change", ["low", "high", "count"], [[b["low"], b["high"], b["count"]] for b in _bins(found)]),
        ("area_change", ["area", "change", "count"], areas),
        ("summary", list(_summary(body)), [list(_summary(body).values())]),
    ]
    return table_response(body, sheets, fmt, f"star-change-{found.as_of.isoformat()}")


def _bins(found: StarChange) -> list[dict[str, int]]:
    return [_bin(b) for b in found.distribution.total_bins]


def _bin(b: Bin) -> dict[str, int]:
    return {"low": b.low, "high": b.high, "count": b.count}


def _body(found: StarChange) -> dict[str, Any]:
    d = found.distribution
    return {
        "as_of": found.as_of.isoformat(),
        "known_at": found.known_at.isoformat(),
        "provider_id": str(found.provider_id) if found.provider_id else None,
        "episodes": d.episodes,
        "baseline_only": d.baseline_only,
        "reviewed": d.reviewed,
        "total_change": {"bin_width": TOTAL_BIN_WIDTH, "mean": d.mean, "median": d.median, "bins": _bins(found)},
        "area_change": {area: [_bin(b) for b in bins] for area, bins in d.area_bins.items()},
    }


def _summary(body: dict[str, Any]) -> dict[str, Any]:
    keys = ("as_of", "known_at", "provider_id", "episodes", "baseline_only", "reviewed")
    return {
        **{k: body[k] for k in keys},
        "mean": body["total_change"]["mean"],
        "median": body["total_change"]["median"],
    }
