"""A link worker's pages put together (issue 19): today's list, the caseload and one case, from the
engagement API (which narrows every read to the caller's caseload), the patients' identities from the
referral service (which audits each read) and the directory's public ORUK API. Identities live only as
long as the request that shows them: nothing here keeps them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from console.adapters.platform_api import ApiRefused, ApiUnavailable, PlatformApi
from console.domain import case_items
from console.domain import caseload as cl
from console.domain import directory_results as dr
from console.domain.discharge_preview import from_summary
from console.domain.star_chart import StarChart, baseline_and_latest, star_chart
from console.domain.today import by_case, todays_list


def patients(api: PlatformApi, case_ids: Iterable[str]) -> dict[str, cl.Patient]:
    """Each case's patient, read from its referral (a case's id is its referral's) in one call per 100
    (the referral service writes an audit row per patient opened); a referral the service will not show
    (out of scope, or a role that sees no identity) shows no name. Nothing asked: nothing read."""
    found = dict.fromkeys(case_ids, cl.NOT_SHOWN)
    if not found:
        return found
    try:
        opened = api.identities(found)
    except ApiRefused as refused:
        if refused.status != 403:
            raise
        return found
    for item in opened:
        found[str(item["referral_id"])] = cl.patient(item["patient"])
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
        "goal_choices": case_items.goals(case),
        "step_choices": case_items.steps(case),
        "star_choices": case_items.stars(case),
        "star_scores": case_items.latest_scores(case),
        "linkage_choices": case_items.linkages(case),
        "concern_choices": case_items.open_concerns(case),
        "preferences": case_items.current_preferences(case),
    }


def directory_search(
    api: PlatformApi, search: str, category: str, postcode: str | None = None, within_km: int | None = None
) -> dict[str, Any]:
    """The directory's linkage categories (its top-level terms) and, when asked, the services matching a
    name and a category (`GET /services?search=&taxonomy_term_id=`, the term and every term below it);
    with a distance and the patient's postcode, those within it, nearest first
    (`GET /service_at_locations?postcode=&proximity=`)."""
    answer: dict[str, Any] = {"categories": [], "results": [], "total": 0, "asked": False, "unavailable": False}
    try:
        terms = [t for t in api.directory_categories() if not t.get("parent_id")]
    except ApiUnavailable:  # the rest of the case page still works; the linkage panel says so
        return answer | {"unavailable": True}
    chosen = next((t for t in terms if t.get("term") == category), None)
    answer["categories"] = terms
    by_distance = within_km is not None and bool(postcode)
    if not (search or chosen or by_distance):
        return answer
    filters = {"search": search or None, "taxonomy_term_id": chosen["id"] if chosen else None}
    try:
        if by_distance:
            page = api.directory_nearby(
                **filters, postcode=postcode, proximity=int(within_km or 0) * 1000, per_page=200
            )
            results = dr.nearest_services(page.get("contents") or [])
            total = len(results)
        else:
            page = api.directory_services(**filters, per_page=20)
            results, total = dr.services(page.get("contents") or []), int(page.get("total_items") or 0)
    except ApiUnavailable:
        return answer | {"unavailable": True}
    except ApiRefused as refused:  # a postcode the directory cannot place: said in the panel
        if refused.status != 422:
            raise
        return answer | {
            "asked": True,
            "refused": "The directory cannot place this postcode, so search without a distance.",
        }
    return answer | {"results": results, "total": total, "asked": True, "by_distance": by_distance}


def discharge_preview(api: PlatformApi, case_id: str, discharged_on: date, reason: str) -> dict[str, Any]:
    """The case, its patient, and what its discharge summary will say: engagement's own preview
    (`ApiRefused` when the discharge would be refused: a bad date or reason, a closed case)."""
    summary = api.discharge_preview(case_id, discharged_on.isoformat(), reason)
    page = case_page(api, case_id)
    return page | {"preview": from_summary(summary, page["case"])}


def action_plan(api: PlatformApi, case_id: str) -> dict[str, Any]:
    """The patient's printable plan: goals with their steps, linkages, the Star chart; nothing for staff
    only (no safeguarding, no notes, no attempts)."""
    case = api.case(case_id)
    baseline, latest = baseline_and_latest(case.get("stars") or [])
    return {
        "case": case,
        "patient": patients(api, [case_id])[case_id],
        "chart": star_chart(baseline, latest),
        "goals": case.get("goals") or [],
        "linkages": case.get("linkages") or [],
    }
