"""Reads of the reference data tables (practices, providers, link workers) and caseloads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from psycopg2.extensions import cursor as Cursor

from referral.domain import HOLDS_A_PLACE, OPEN_STATUSES, LinkWorkerLoad

# Statuses in which a referral occupies a place in its link worker's caseload (the domain's rule).
CASELOAD_STATUSES = sorted(s.value for s in HOLDS_A_PLACE)
OPEN = [s.value for s in OPEN_STATUSES]


@dataclass(frozen=True)
class Practice:
    ods_code: str
    name: str
    participating: bool
    provider_id: UUID | None


def practice(cur: Cursor, ods_code: str) -> Practice | None:
    cur.execute("SELECT ods_code, name, participating, provider_id FROM practices WHERE ods_code = %s", (ods_code,))
    row = cur.fetchone()
    return Practice(*row) if row else None


def provider_exists(cur: Cursor, provider_id: UUID) -> bool:
    cur.execute("SELECT 1 FROM providers WHERE provider_id = %s", (provider_id,))
    return cur.fetchone() is not None


def link_worker_loads(cur: Cursor, provider_id: UUID) -> list[LinkWorkerLoad]:
    """The provider's link workers with their active caseloads, row-locked: allocations to one
    provider happen one transaction at a time, so capacity is never overcommitted."""
    cur.execute(
        "SELECT link_worker_id FROM link_workers WHERE provider_id = %s ORDER BY link_worker_id FOR UPDATE",
        (provider_id,),
    )
    cur.execute(
        "SELECT w.link_worker_id, w.provider_id, w.capacity, w.active,"
        " (SELECT count(*) FROM referrals r WHERE r.link_worker_id = w.link_worker_id AND r.status = ANY(%s))"
        " FROM link_workers w WHERE w.provider_id = %s",
        (CASELOAD_STATUSES, provider_id),
    )
    return [
        LinkWorkerLoad(link_worker_id=r[0], provider_id=r[1], capacity=r[2], active=r[3], active_caseload=r[4])
        for r in cur.fetchall()
    ]


def has_open_episode(cur: Cursor, patient_id: UUID, practice_ods_code: str) -> bool:
    """Whether the patient has an open referral from this practice (one from another practice is not
    this practice's business: docs/domain.md §2, "one episode at a time")."""
    cur.execute(
        "SELECT 1 FROM referrals WHERE patient_id = %s AND practice_ods_code = %s AND status = ANY(%s) LIMIT 1",
        (patient_id, practice_ods_code, OPEN),
    )
    return cur.fetchone() is not None


def has_any_open_episode(cur: Cursor, patient_id: UUID) -> bool:
    cur.execute("SELECT 1 FROM referrals WHERE patient_id = %s AND status = ANY(%s) LIMIT 1", (patient_id, OPEN))
    return cur.fetchone() is not None


def providers_holding_for(cur: Cursor, patient_id: UUID) -> list[UUID]:
    """The providers whose queues hold an eligible referral of the patient (waiting for the patient's
    other episode to end); drained when an episode of the patient closes."""
    cur.execute(
        "SELECT DISTINCT p.provider_id FROM referrals r JOIN practices p ON p.ods_code = r.practice_ods_code"
        " WHERE r.patient_id = %s AND r.status = 'eligible' AND p.provider_id IS NOT NULL ORDER BY 1",
        (patient_id,),
    )
    return [row[0] for row in cur.fetchall()]


def queue_head(cur: Cursor, provider_id: UUID, passed_over: list[UUID]) -> UUID | None:
    """The oldest eligible, unallocated referral of the practices the provider serves, apart from
    those passed over and those held: a patient's referral waits while another episode of theirs is
    open (allocated or further), or while an older referral of theirs waits (docs/domain.md §2)."""
    cur.execute(
        "SELECT r.referral_id FROM referrals r JOIN practices p ON p.ods_code = r.practice_ods_code"
        " WHERE r.status = 'eligible' AND p.provider_id = %s AND NOT (r.referral_id = ANY(%s::uuid[]))"
        " AND NOT EXISTS (SELECT 1 FROM referrals o WHERE o.patient_id = r.patient_id"
        "   AND o.referral_id <> r.referral_id AND o.status = ANY(%s)"
        "   AND (o.status <> 'eligible' OR (o.received_at, o.referral_id) < (r.received_at, r.referral_id)))"
        " ORDER BY r.received_at, r.referral_id LIMIT 1",
        (provider_id, [str(i) for i in passed_over], OPEN),
    )
    row = cur.fetchone()
    return None if row is None else row[0]


def list_practices(cur: Cursor) -> list[dict[str, Any]]:
    cur.execute("SELECT ods_code, name, participating, provider_id FROM practices ORDER BY ods_code")
    return [dict(ods_code=r[0], name=r[1], participating=r[2], provider_id=r[3]) for r in cur.fetchall()]


def list_providers(cur: Cursor) -> list[dict[str, Any]]:
    cur.execute(
        "SELECT p.provider_id, p.name, coalesce(array_agg(pr.ods_code ORDER BY pr.ods_code)"
        " FILTER (WHERE pr.ods_code IS NOT NULL), '{}') FROM providers p"
        " LEFT JOIN practices pr ON pr.provider_id = p.provider_id GROUP BY p.provider_id, p.name ORDER BY p.name"
    )
    return [dict(provider_id=r[0], name=r[1], practices=list(r[2])) for r in cur.fetchall()]


def list_link_workers(cur: Cursor, provider_id: UUID | None = None) -> list[dict[str, Any]]:
    cur.execute(
        "SELECT w.link_worker_id, w.provider_id, w.display_name, w.capacity, w.active,"
        " (SELECT count(*) FROM referrals r WHERE r.link_worker_id = w.link_worker_id AND r.status = ANY(%s))"
        " FROM link_workers w WHERE %s::uuid IS NULL OR w.provider_id = %s::uuid"
        " ORDER BY w.provider_id, w.display_name, w.link_worker_id",
        (CASELOAD_STATUSES, provider_id, provider_id),
    )
    return [
        dict(link_worker_id=r[0], provider_id=r[1], display_name=r[2], capacity=r[3], active=r[4], active_caseload=r[5])
        for r in cur.fetchall()
    ]


def link_worker(cur: Cursor, link_worker_id: UUID) -> dict[str, Any] | None:
    rows = [w for w in list_link_workers(cur) if w["link_worker_id"] == link_worker_id]
    return rows[0] if rows else None
