"""Dashboard data from the projections: funnel, caseloads, Well-being Star change, linkages.

`provider_id` narrows every answer to one provider (a provider manager's scope).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from uuid import UUID

from contracts.engagement import StarArea
from reporting.adapters import dashboards
from reporting.adapters.dashboards import STAGES
from reporting.domain.first_contact import time_to_first_contact
from reporting.service_layer.unit_of_work import ReportingUnitOfWork

AREAS = tuple(area.value for area in StarArea)


def funnel(uow: ReportingUnitOfWork, provider_id: UUID | None = None) -> list[dict[str, Any]]:
    """Per practice, provider and month: how many referrals reached each stage that month
    (discharges also by reason)."""
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    for practice, provider, month, stage, reason, count in dashboards.stage_counts(uow.cur, provider_id):
        key = (month, practice, str(provider) if provider else None)
        row = rows.setdefault(
            key,
            {
                "month": month,
                "practice_ods_code": practice,
                "provider_id": key[2],
                **dict.fromkeys(STAGES, 0),
                "discharged_by_reason": {},
            },
        )
        row[stage] += count
        if stage == "discharged":
            by_reason = row["discharged_by_reason"]
            by_reason[reason or "unknown"] = by_reason.get(reason or "unknown", 0) + count
    return list(rows.values())


def caseload(uow: ReportingUnitOfWork, provider_id: UUID | None = None) -> list[dict[str, Any]]:
    """Open cases per link worker (link workers with closed cases only show 0)."""
    return [
        {"provider_id": str(p), "link_worker_id": str(w), "open_cases": o, "cases_held": t}
        for p, w, o, t in dashboards.holder_counts(uow.cur, provider_id)
    ]


def wellbeing(uow: ReportingUnitOfWork, provider_id: UUID | None = None) -> list[dict[str, Any]]:
    """Per provider: cases with a baseline, with a review, and the change from baseline to the latest
    review per Star area and in total (sums, and means to 2 decimals; corrections applied, voids out)."""
    by_case: dict[Any, list[tuple[Any, ...]]] = defaultdict(list)
    for case_id, provider, scores, total in dashboards.standing_stars(uow.cur, provider_id):
        by_case[case_id].append((provider, scores, total))
    out: dict[str, dict[str, Any]] = {}
    for stars in by_case.values():
        baseline, latest = stars[0], stars[-1]
        key = str(latest[0])  # the provider of the latest Star holds the case
        row = out.setdefault(
            key,
            {
                "provider_id": key,
                "baselines": 0,
                "reviewed": 0,
                "total_change_sum": 0,
                "area_change_sum": dict.fromkeys(AREAS, 0),
            },
        )
        row["baselines"] += 1
        if len(stars) > 1:
            row["reviewed"] += 1
            row["total_change_sum"] += latest[2] - baseline[2]
            for area in AREAS:
                row["area_change_sum"][area] += latest[1][area] - baseline[1][area]
    for row in out.values():
        n = row["reviewed"]
        row["total_change_mean"] = round(row["total_change_sum"] / n, 2) if n else None
        row["area_change_mean"] = {a: (round(v / n, 2) if n else None) for a, v in row["area_change_sum"].items()}
    if provider_id is not None:
        return [row for key, row in sorted(out.items()) if key == str(provider_id)]
    return [row for _, row in sorted(out.items())]


def linkages(uow: ReportingUnitOfWork, provider_id: UUID | None = None) -> list[dict[str, Any]]:
    """Linkages per provider, category and status."""
    return [
        {"provider_id": str(p), "category": c, "status": s, "count": n}
        for p, c, s, n in dashboards.linkage_counts(uow.cur, provider_id)
    ]


def first_contact(uow: ReportingUnitOfWork, provider_id: UUID | None = None) -> list[dict[str, Any]]:
    """Days from allocation to the first contact or attempt, per provider (link_worker_id null) and per
    link worker allocated: median and 90th percentile (domain/first_contact.py); withdrawn referrals out."""
    return [
        {
            "provider_id": str(f.provider_id),
            "link_worker_id": None if f.link_worker_id is None else str(f.link_worker_id),
            "contacted": f.contacted,
            "awaiting": f.awaiting,
            "median_days": f.median_days,
            "p90_days": f.p90_days,
        }
        for f in time_to_first_contact(dashboards.first_contact_waits(uow.cur, provider_id))
    ]
