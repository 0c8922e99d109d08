"""A link worker's pages put together (issue 19): today's list, the caseload and one case, from the
engagement API (which narrows every read to the caller's caseload), the patients' identities from the
referral service (which audits each read) and the directory's public ORUK API. Identities live only as
long as the request that shows them: nothing here keeps them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from console.adapters.platform_api import ApiRefused, ApiUnavailable, PlatformApi
from console.domain import caseload as cl
from console.domain.star_chart import StarChart, baseline_and_latest, star_chart
from console.domain.today import by_case, todays_list


def patients(api: PlatformApi, case_ids: Iterable[str]) -> dict[str, cl.Patient]:
    """Each case's patient, read from its referral (the referral service writes an audit row per read);
    a referral the service will not show (out of scope, 404/403) shows no name."""
    found: dict[str, cl.Patient] = {}
    for case_id in dict.fromkeys(case_ids):
        try:
            found[case_id] = cl.patient(api.identity(case_id))
        except ApiRefused as refused:
            if refused.status not in (403, 404):
                raise
            found[case_id] = cl.NOT_SHOWN
    return found


def today(api: PlatformApi) -> dict[str, Any]:
    """Today's list across the caseload, with the names of the patients it names."""
    rows = api.caseload()
    attention = api.attention()
    day = date.fromisoformat(str(attention["today"]))
    items = todays_list(rows, attention, day)
    return {
        "today": day,
        "items": items,
        "patients": patients(api, (i.case_id for i in items)),
        "open_cases": sum(1 for r in rows if r.get("is_open")),
    }


def caseload(api: PlatformApi, query: str) -> dict[str, Any]:
    """Every case of the caseload with its patient and what is due next; narrowed by `query` (a name,
    or part of an NHS number) within the caseload only."""
    rows = api.caseload()
    attention = api.attention()
    day = date.fromisoformat(str(attention["today"]))
    items = by_case(todays_list(rows, attention, day))
    # Identities of open cases only: each is a decrypting, audited read, and a closed case's patient is
    # named on its own page when the link worker opens it.
    entries = cl.caseload(rows, patients(api, (str(r["case_id"]) for r in rows if r.get("is_open"))), items)
    return {"today": day, "entries": cl.search(entries, query), "total": len(entries), "query": query}


def case_page(api: PlatformApi, case_id: str) -> dict[str, Any]:
    case = api.case(case_id)
    baseline, latest = baseline_and_latest(case.get("stars") or [])
    chart: StarChart | None = star_chart(baseline, latest)
    return {
        "case": case,
        "patient": patients(api, [case_id])[case_id],
        "timeline": cl.timeline(case),
        "chart": chart,
        "open_goals": [g for g in case.get("goals") or [] if g["status"] in ("agreed", "in_progress")],
    }


def directory_search(api: PlatformApi, search: str, category: str) -> dict[str, Any]:
    """The directory's linkage categories (its top-level terms) and, when asked, the services matching a
    name and a category (`GET /services?search=&taxonomy_term_id=`, the term and every term below it)."""
    try:
        terms = [t for t in api.directory_categories() if not t.get("parent_id")]
    except ApiUnavailable:  # the rest of the case page still works; the linkage panel says so
        return {"categories": [], "results": [], "total": 0, "asked": False, "unavailable": True}
    chosen = next((t for t in terms if t.get("term") == category), None)
    results: list[dict[str, Any]] = []
    total = 0
    if search or chosen:
        page = api.directory_services(
            search=search or None, taxonomy_term_id=chosen["id"] if chosen else None, per_page=20
        )
        results, total = list(page.get("contents") or []), int(page.get("total_items") or 0)
    return {
        "categories": terms,
        "results": results,
        "total": total,
        "asked": bool(search or chosen),
        "unavailable": False,
    }
