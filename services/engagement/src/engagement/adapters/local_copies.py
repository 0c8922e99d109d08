"""Local copies of other services' data, fed by their events: referral intake, link workers, directory."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID


@dataclass(frozen=True)
class Allocation:
    referral_id: UUID
    provider_id: UUID
    link_worker_id: UUID
    allocated_on: date
    event_id: UUID
    correlation_id: UUID | None


def remember_intake(cur, referral_id: UUID, patient_id: UUID, practice_ods_code: str) -> None:
    cur.execute(
        "INSERT INTO referral_intake (referral_id, patient_id, practice_ods_code) VALUES (%s, %s, %s)"
        " ON CONFLICT (referral_id) DO NOTHING",
        (referral_id, patient_id, practice_ods_code),
    )


def move_intake_practice(cur, referral_id: UUID, practice_ods_code: str) -> None:
    """The patient moved practice before their case opened: the case opens with the new practice."""
    cur.execute(
        "UPDATE referral_intake SET practice_ods_code = %s WHERE referral_id = %s", (practice_ods_code, referral_id)
    )


def intake(cur, referral_id: UUID) -> tuple[UUID, str] | None:
    cur.execute("SELECT patient_id, practice_ods_code FROM referral_intake WHERE referral_id = %s", (referral_id,))
    row = cur.fetchone()
    return None if row is None else (row[0], row[1])


def park_allocation(cur, a: Allocation) -> None:
    cur.execute(
        "INSERT INTO pending_allocations (referral_id, provider_id, link_worker_id, allocated_on, event_id,"
        " correlation_id) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (referral_id) DO NOTHING",
        (a.referral_id, a.provider_id, a.link_worker_id, a.allocated_on, a.event_id, a.correlation_id),
    )


def take_parked_allocation(cur, referral_id: UUID) -> Allocation | None:
    cur.execute(
        "DELETE FROM pending_allocations WHERE referral_id = %s RETURNING referral_id, provider_id,"
        " link_worker_id, allocated_on, event_id, correlation_id",
        (referral_id,),
    )
    row = cur.fetchone()
    return None if row is None else Allocation(*row)


def upsert_link_worker(cur, link_worker_id: UUID, provider_id: UUID, display_name: str, active: bool) -> None:
    cur.execute(
        "INSERT INTO link_workers (link_worker_id, provider_id, display_name, active) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (link_worker_id) DO UPDATE SET provider_id = EXCLUDED.provider_id,"
        " display_name = EXCLUDED.display_name, active = EXCLUDED.active",
        (link_worker_id, provider_id, display_name, active),
    )


def link_worker(cur, link_worker_id: UUID) -> tuple[UUID, bool] | None:
    """(provider_id, active) of a known link worker."""
    cur.execute("SELECT provider_id, active FROM link_workers WHERE link_worker_id = %s", (link_worker_id,))
    row = cur.fetchone()
    return None if row is None else (row[0], row[1])


def upsert_service(
    cur,
    *,
    service_id: UUID,
    organization_id: UUID,
    name: str,
    status: str,
    categories: list[str],
    last_modified: datetime,
) -> None:
    """Newer-wins on `last_modified`, so a replayed older summary never overwrites a newer one."""
    cur.execute(
        "INSERT INTO directory_services (service_id, organization_id, name, status, categories, last_modified)"
        " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (service_id) DO UPDATE SET"
        " organization_id = EXCLUDED.organization_id, name = EXCLUDED.name, status = EXCLUDED.status,"
        " categories = EXCLUDED.categories, last_modified = EXCLUDED.last_modified"
        " WHERE directory_services.last_modified <= EXCLUDED.last_modified",
        (service_id, organization_id, name, status, categories, last_modified),
    )


def change_service_status(cur, service_id: UUID, status: str, last_modified: datetime) -> bool:
    cur.execute(
        "UPDATE directory_services SET status = %s, last_modified = %s WHERE service_id = %s AND last_modified <= %s",
        (status, last_modified, service_id, last_modified),
    )
    return cur.rowcount == 1


def service_statuses(cur, service_ids: list[UUID]) -> dict[UUID, str]:
    cur.execute("SELECT service_id, status FROM directory_services WHERE service_id = ANY(%s)", (service_ids,))
    return {row[0]: row[1] for row in cur.fetchall()}


def service_names(cur, service_ids: list[UUID]) -> dict[UUID, tuple[str, str]]:
    cur.execute("SELECT service_id, name, status FROM directory_services WHERE service_id = ANY(%s)", (service_ids,))
    return {row[0]: (row[1], row[2]) for row in cur.fetchall()}
