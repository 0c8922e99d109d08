"""Dashboard data from the projections: funnel, caseloads, Well-being Star change, linkages.

`provider_id` narrows every answer to one provider (a provider manager's scope).
"""
from __future__ import annotations

from collections import defaultdict
from uuid import UUID

from contracts.engagement import StarArea

STAGES = ("received", "eligible", "ineligible", "allocated", "contacted", "engaged", "declined",
          "unable_to_contact", "discharged")
AREAS = tuple(area.value for area in StarArea)


def funnel(cur, provider_id: UUID | None = None) -> list[dict]:
    """Per practice, provider and month: how many referrals reached each stage that month
    (discharges also by reason)."""
    stage_values = ", ".join(f"('{s}', {s}_on)" for s in STAGES)
    cur.execute(
        f"SELECT practice_ods_code, provider_id, to_char(day, 'YYYY-MM') AS month, stage,"
        f" CASE WHEN stage = 'discharged' THEN discharge_reason END AS reason, count(*)"
        f" FROM referral_progress CROSS JOIN LATERAL (VALUES {stage_values}) AS s(stage, day)"
        f" WHERE day IS NOT NULL AND (%s::uuid IS NULL OR provider_id = %s::uuid)"
        f" GROUP BY 1, 2, 3, 4, 5 ORDER BY 3, 1, 2 NULLS FIRST, 4, 5",
        (provider_id, provider_id),
    )
    rows: dict[tuple, dict] = {}
    for practice, provider, month, stage, reason, count in cur.fetchall():
        key = (month, practice, str(provider) if provider else None)
        row = rows.setdefault(key, {"month": month, "practice_ods_code": practice, "provider_id": key[2],
                                    **{s: 0 for s in STAGES}, "discharged_by_reason": {}})
        row[stage] += count
        if stage == "discharged":
            row["discharged_by_reason"][reason or "unknown"] = row["discharged_by_reason"].get(reason or "unknown", 0) + count
    return list(rows.values())


def caseload(cur, provider_id: UUID | None = None) -> list[dict]:
    """Open cases per link worker (link workers with closed cases only show 0)."""
    cur.execute(
        "SELECT provider_id, link_worker_id, count(*) FILTER (WHERE open), count(*) FROM case_holders"
        " WHERE (%s::uuid IS NULL OR provider_id = %s::uuid) GROUP BY 1, 2 ORDER BY 1, 2",
        (provider_id, provider_id),
    )
    return [{"provider_id": str(p), "link_worker_id": str(w), "open_cases": o, "cases_held": t}
            for p, w, o, t in cur.fetchall()]


def wellbeing(cur, provider_id: UUID | None = None) -> list[dict]:
    """Per provider: cases with a baseline, with a review, and the change from baseline to the latest
    review per Star area and in total (sums, and means to 2 decimals; corrections applied, voids out)."""
    cur.execute(
        "SELECT case_id, provider_id, taken_on, scores, total FROM stars WHERE NOT voided"
        " AND (%s::uuid IS NULL OR case_id IN (SELECT case_id FROM stars WHERE provider_id = %s::uuid))"
        " ORDER BY case_id, taken_on, recorded_at, star_id",
        (provider_id, provider_id),
    )
    by_case: dict = defaultdict(list)
    for case_id, provider, taken_on, scores, total in cur.fetchall():
        by_case[case_id].append((provider, scores, total))
    out: dict[str, dict] = {}
    for stars in by_case.values():
        baseline, latest = stars[0], stars[-1]
        key = str(latest[0])  # the provider of the latest Star holds the case
        row = out.setdefault(key, {"provider_id": key, "baselines": 0, "reviewed": 0, "total_change_sum": 0,
                                   "area_change_sum": {a: 0 for a in AREAS}})
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


def linkages(cur, provider_id: UUID | None = None) -> list[dict]:
    cur.execute(
        "SELECT provider_id, category, status, count(*) FROM linkages WHERE (%s::uuid IS NULL OR provider_id = %s::uuid)"
        " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3", (provider_id, provider_id))
    return [{"provider_id": str(p), "category": c, "status": s, "count": n} for p, c, s, n in cur.fetchall()]
