"""Reading the dashboard projections: funnel stages, case holders, Stars, linkages.

`provider_id` narrows every query to one provider (a provider manager's scope); None reads all.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

STAGES = (
    "received",
    "eligible",
    "ineligible",
    "allocated",
    "contacted",
    "engaged",
    "declined",
    "unable_to_contact",
    "discharged",
    "withdrawn",
)


def stage_counts(cur: Any, provider_id: UUID | None) -> list[tuple[Any, ...]]:
    """(practice, provider, month, stage, discharge reason or None, referrals) per stage reached in a month."""
    stage_values = ", ".join(f"('{s}', {s}_on)" for s in STAGES)
    cur.execute(
        f"SELECT practice_ods_code, provider_id, to_char(day, 'YYYY-MM') AS month, stage,"
        f" CASE WHEN stage = 'discharged' THEN discharge_reason END AS reason, count(*)"
        f" FROM referral_progress CROSS JOIN LATERAL (VALUES {stage_values}) AS s(stage, day)"
        f" WHERE day IS NOT NULL AND (%s::uuid IS NULL OR provider_id = %s::uuid)"
        f" GROUP BY 1, 2, 3, 4, 5 ORDER BY 3, 1, 2 NULLS FIRST, 4, 5",
        (provider_id, provider_id),
    )
    return cur.fetchall()


def holder_counts(cur: Any, provider_id: UUID | None) -> list[tuple[Any, ...]]:
    """(provider, link worker, open cases, cases held) per link worker."""
    cur.execute(
        "SELECT provider_id, link_worker_id, count(*) FILTER (WHERE open), count(*) FROM case_holders"
        " WHERE (%s::uuid IS NULL OR provider_id = %s::uuid) GROUP BY 1, 2 ORDER BY 1, 2",
        (provider_id, provider_id),
    )
    return cur.fetchall()


def standing_stars(cur: Any, provider_id: UUID | None) -> list[tuple[Any, ...]]:
    """(case, provider, scores, total) of every Star not voided (corrections applied), each case's in
    date order; with `provider_id`, the cases that provider ever recorded a Star for."""
    cur.execute(
        "SELECT case_id, provider_id, scores, total FROM stars WHERE NOT voided"
        " AND (%s::uuid IS NULL OR case_id IN (SELECT case_id FROM stars WHERE provider_id = %s::uuid))"
        " ORDER BY case_id, taken_on, recorded_at, star_id",
        (provider_id, provider_id),
    )
    return cur.fetchall()


def linkage_counts(cur: Any, provider_id: UUID | None) -> list[tuple[Any, ...]]:
    """(provider, category, status, linkages)."""
    cur.execute(
        "SELECT provider_id, category, status, count(*) FROM linkages WHERE (%s::uuid IS NULL OR provider_id = %s::uuid)"
        " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
        (provider_id, provider_id),
    )
    return cur.fetchall()


def first_contact_waits(cur: Any, provider_id: UUID | None) -> list[tuple[Any, ...]]:
    """(provider, link worker allocated, days from allocation to the first contact or attempt, or None
    while none was made) per allocated referral that was not withdrawn."""
    cur.execute(
        "SELECT provider_id, link_worker_id, first_contact_on - allocated_on FROM referral_progress"
        " WHERE allocated_on IS NOT NULL AND link_worker_id IS NOT NULL AND withdrawn_on IS NULL"
        " AND (%s::uuid IS NULL OR provider_id = %s::uuid) ORDER BY 1, 2",
        (provider_id, provider_id),
    )
    return cur.fetchall()
