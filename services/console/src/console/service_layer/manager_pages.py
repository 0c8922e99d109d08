"""A provider manager's pages put together (issue 19): link workers with capacity and caseload (the
referral service's places), the allocation queue (the provider's eligible referrals, oldest first), time
to first contact (reporting) and open safeguarding concerns (engagement), each API narrowing what it
answers to the manager's own organisation; one link worker's cases with their patients' names (each
read audited by the referral service) for reassignment."""

from __future__ import annotations

from datetime import date
from typing import Any

from console.adapters.platform_api import ApiRefused, ApiUnavailable, PlatformApi
from console.domain import team
from console.service_layer.casework import patients

QUEUE_SHOWN = 100  # the head of the queue: the referrals that will be allocated next


def team_page(api: PlatformApi, provider_id: str, today: date) -> dict[str, Any]:
    try:
        contacts = team.first_contacts(api.time_to_first_contact())
        reporting_down = False
    except ApiUnavailable:  # the rest of the page still works; its panel says reporting is not answering
        contacts, reporting_down = {}, True
    workers = team.workers(api.provider_link_workers(provider_id), contacts)
    waiting = api.referrals(status="eligible", provider_id=provider_id, page=1, page_size=QUEUE_SHOWN)
    names = {w.link_worker_id: w.name for w in workers}
    return {
        "workers": workers,
        "provider_contact": contacts.get(None),
        "reporting_down": reporting_down,
        "queue": team.queue(waiting["items"], today),
        "queue_total": int(waiting["total"]),
        "concerns": team.concerns(api.open_safeguarding_concerns()),
        "names": names,
        "totals": {
            "capacity": sum(w.capacity for w in workers if w.active),
            "caseload": sum(w.caseload for w in workers),
        },
    }


def worker_page(api: PlatformApi, provider_id: str, link_worker_id: str) -> dict[str, Any] | None:
    """One of the provider's link workers and the open cases they hold; None: not one of theirs."""
    listed = api.provider_link_workers(provider_id)
    worker = next((w for w in team.workers(listed, {}) if w.link_worker_id == link_worker_id), None)
    if worker is None:
        return None
    try:
        rows = [r for r in api.cases_of(link_worker_id) if r.get("is_open")]
    except ApiRefused as refused:
        if refused.status not in (403, 404):
            raise
        rows = []
    rows.sort(key=lambda r: (str(r.get("opened_on")), str(r["case_id"])))
    colleagues = [w for w in team.workers(listed, {}) if w.active and w.link_worker_id != link_worker_id]
    return {
        "worker": worker,
        "cases": rows,
        "patients": patients(api, (str(r["case_id"]) for r in rows)),
        "colleagues": colleagues,
    }
