"""A provider manager's pages put together (issue 19): link workers with capacity and caseload (the
referral service's places), the allocation queue (the provider's eligible referrals, oldest first), time
to first contact (reporting) and open safeguarding concerns (engagement), each API narrowing what it
answers to the manager's own organisation, with the patients waiting and those with an open concern
named; one link worker's cases with their patients' names for reassignment; and one case's page, read
only, with the form that hands it to a colleague. Every name is an identity read the referral service
audits (one row per patient, one call per page)."""

from __future__ import annotations

from datetime import date
from typing import Any

from console.adapters.platform_api import ApiRefused, ApiUnavailable, PlatformApi
from console.domain import team
from console.service_layer import casework
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
    queue = team.queue(waiting["items"], today)
    concerns = team.concerns(api.open_safeguarding_concerns())
    # the patients named: one read for the queue and the concerns together, each audited by referral
    shown = patients(api, [*(q.referral_id for q in queue), *(str(c["case_id"]) for c in concerns)])
    return {
        "workers": workers,
        "provider_contact": contacts.get(None),
        "reporting_down": reporting_down,
        "queue": queue,
        "queue_total": int(waiting["total"]),
        "concerns": concerns,
        "patients": shown,
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


def case_page(api: PlatformApi, provider_id: str, case_id: str) -> dict[str, Any]:
    """One of the organisation's cases as its link worker's page shows it (read only: the case work is
    the link worker's), with who holds it and the colleagues it can be handed to. Engagement answers
    "not found" for a case of another organisation (`ApiRefused` 404), and audits the read."""
    page = casework.case_page(api, case_id)
    listed = team.workers(api.provider_link_workers(provider_id), {})
    holder_id = str(page["case"]["link_worker_id"])
    holder = next((w for w in listed if w.link_worker_id == holder_id), None)
    colleagues = [w for w in listed if w.active and w.link_worker_id != holder_id]
    return page | {"holder": holder, "colleagues": colleagues}
