"""Reads of the referrals read model: one referral, and filtered, paginated lists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from psycopg2.extensions import cursor as Cursor

from contracts.referral import EarlierEpisode

_COLUMNS = (
    "referral_id",
    "patient_id",
    "status",
    "status_since",
    "practice_ods_code",
    "provider_id",
    "link_worker_id",
    "referrer_name",
    "referrer_role",
    "referred_on",
    "age_at_referral",
    "sex",
    "conditions",
    "mental_health",
    "eligible",
    "ineligibility",
    "received_at",
    "withdrawal",
    "episode_number",
    "earlier_episodes",
    "entries_correction",
)
_SELECT = (
    f"SELECT {', '.join(_COLUMNS)}, sealed, summary,"
    " (SELECT p.provider_id FROM practices p WHERE p.ods_code = practice_ods_code) FROM referrals"
)


@dataclass(frozen=True)
class ReferralFilter:
    statuses: tuple[str, ...] | None = None  # any of these
    practice: str | None = None
    provider_id: UUID | None = None  # allocated to it, or waiting for it (eligible at a practice it serves)
    link_worker_id: UUID | None = None


def referral_row(cur: Cursor, referral_id: UUID) -> dict[str, Any] | None:
    cur.execute(f"{_SELECT} WHERE referral_id = %s", (referral_id,))
    row = cur.fetchone()
    return _row(row) if row else None


def list_referrals(cur: Cursor, where: ReferralFilter, page: int, page_size: int) -> tuple[list[dict[str, Any]], int]:
    """One page (1-based) of referrals in order of receipt, and the total that match."""
    clauses, params = [], {}
    for name, value in vars(where).items():
        if value is None:
            continue
        params[name] = list(value) if name == "statuses" else value
        if name == "statuses":
            clauses.append("status = ANY(%(statuses)s)")
        elif name == "provider_id":  # the provider's referrals, and those queued for it (not yet allocated)
            clauses.append(
                "(provider_id = %(provider_id)s OR (provider_id IS NULL AND status = 'eligible' AND practice_ods_code IN"
                " (SELECT ods_code FROM practices WHERE provider_id = %(provider_id)s)))"
            )
        else:
            clauses.append(f"{'practice_ods_code' if name == 'practice' else name} = %({name})s")
    condition = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    cur.execute(f"SELECT count(*) FROM referrals{condition}", params)
    (total,) = cur.fetchone() or (0,)
    cur.execute(
        f"{_SELECT}{condition} ORDER BY received_at, referral_id LIMIT %(limit)s OFFSET %(offset)s",
        params | {"limit": page_size, "offset": (page - 1) * page_size},
    )
    return [_row(r) for r in cur.fetchall()], total


def list_unserved(cur: Cursor, page: int, page_size: int) -> tuple[list[dict[str, Any]], int]:
    """One page of the eligible, unallocated referrals of practices no provider serves (yet), oldest
    first, and their total: they wait until the practice is given a provider (docs/domain.md §3.1)."""
    condition = (
        " WHERE status = 'eligible' AND provider_id IS NULL AND practice_ods_code IN"
        " (SELECT ods_code FROM practices WHERE provider_id IS NULL)"
    )
    cur.execute(f"SELECT count(*) FROM referrals{condition}")
    (total,) = cur.fetchone() or (0,)
    cur.execute(
        f"{_SELECT}{condition} ORDER BY received_at, referral_id LIMIT %(limit)s OFFSET %(offset)s",
        {"limit": page_size, "offset": (page - 1) * page_size},
    )
    return [_row(r) for r in cur.fetchall()], total


def _row(row: tuple[Any, ...]) -> dict[str, Any]:
    out = dict(zip(_COLUMNS, row, strict=False))
    out["sealed"], out["summary"], out["serving_provider_id"] = row[len(_COLUMNS) :]
    return out


def ended_episodes(cur: Cursor, patient_id: UUID, statuses: list[str]) -> list[EarlierEpisode]:
    """The patient's referrals that ended in one of `statuses`, oldest first, as a new referral of
    theirs knows them (docs/domain.md §3.7): who held each at its end, how and when it ended."""
    cur.execute(
        "SELECT referral_id, practice_ods_code, provider_id, link_worker_id, status, referred_on, summary"
        " FROM referrals WHERE patient_id = %s AND status = ANY(%s) AND summary IS NOT NULL"
        " ORDER BY referred_on, received_at, referral_id",
        (patient_id, statuses),
    )
    return [
        EarlierEpisode(
            referral_id=r[0],
            practice_ods_code=r[1],
            provider_id=r[2],
            link_worker_id=r[3],
            status=r[4],
            referred_on=r[5],
            closed_on=r[6]["closed_on"],
            discharge_reason=r[6].get("discharge_reason"),
            decline_reason=r[6].get("decline_reason"),
        )
        for r in cur.fetchall()
    ]
