"""The caseload page (issue 19): each case with its patient's name, its status and the next thing due,
and a search by name or NHS number within the caseload; a case's timeline of everything recorded.
Pure: built from the engagement API's rows and case, and identities read for this request only."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from console.domain.today import Item, long_date

STATUS_WORDS = {
    "allocated": "Allocated, not contacted yet",
    "contacted": "Contacted",
    "engaged": "Engaged",
    "unable_to_contact": "Unable to contact",
    "discharged": "Discharged",
    "withdrawn": "Withdrawn",
}


@dataclass(frozen=True)
class Patient:
    """What the console shows of a patient's identity; never kept beyond the request."""

    name: str
    nhs_number: str | None
    date_of_birth: str | None = None
    phone: str | None = None
    postcode: str | None = None  # for the directory search by distance
    given_name: str | None = None  # the name's parts, address and email: for the details' correction
    family_name: str | None = None
    address: str | None = None  # only once corrected: intake takes a postcode only
    email: str | None = None


NOT_SHOWN = Patient("Name not shown", None)


def patient(identity: Mapping[str, Any] | None) -> Patient:
    if identity is None or identity.get("erased"):
        return Patient("Patient erased", None) if identity else NOT_SHOWN
    name = " ".join(str(identity[k]) for k in ("given_name", "family_name") if identity.get(k))
    return Patient(
        name or "Name not recorded",
        identity.get("nhs_number"),
        identity.get("date_of_birth"),
        identity.get("phone"),
        identity.get("postcode"),
        identity.get("given_name"),
        identity.get("family_name"),
        identity.get("address"),
        identity.get("email"),
    )


def nhs_spaced(nhs_number: str | None) -> str:
    """485 777 3456, as NHS numbers are read out."""
    if not nhs_number or len(nhs_number) != 10:
        return nhs_number or "–"
    return f"{nhs_number[:3]} {nhs_number[3:6]} {nhs_number[6:]}"


@dataclass(frozen=True)
class Entry:
    case_id: str
    patient: Patient
    status: str
    next_due: Item | None  # the most pressing item of today's list for this case, if any
    opened_on: str


def caseload(
    rows: Iterable[Mapping[str, Any]], patients: Mapping[str, Patient], items_by_case: Mapping[str, Sequence[Item]]
) -> list[Entry]:
    """Open cases first, then closed; each group by name."""
    entries = [
        Entry(
            str(r["case_id"]),
            patients.get(str(r["case_id"]), NOT_SHOWN),
            str(r["status"]),
            _first(items_by_case.get(str(r["case_id"]))),
            str(r["opened_on"]),
        )
        for r in rows
    ]
    closed = {"unable_to_contact", "discharged", "withdrawn"}
    return sorted(entries, key=lambda e: (e.status in closed, e.patient.name.casefold(), e.case_id))


def _first(items: Sequence[Item] | None) -> Item | None:
    return items[0] if items else None


def matches(entry: Entry, query: str) -> bool:
    """Every word of the query in the name (any case, any order), or the NHS number's digits."""
    query = query.strip()
    if not query:
        return True
    digits = re.sub(r"[\s-]", "", query)
    if digits.isdigit():
        return bool(entry.patient.nhs_number) and digits in str(entry.patient.nhs_number)
    name = entry.patient.name.casefold()
    return all(word in name for word in query.casefold().split())


def search(entries: Iterable[Entry], query: str) -> list[Entry]:
    return [e for e in entries if matches(e, query)]


@dataclass(frozen=True)
class Moment:
    on: str  # YYYY-MM-DD (an instant's date for contacts and attempts)
    what: str
    detail: str


def timeline(case: Mapping[str, Any]) -> list[Moment]:
    """Everything recorded in the case, newest first (a day's entries in the order they happen)."""
    out = [Moment(str(case["opened_on"]), "Case opened", "allocated to a link worker")]
    for c in case.get("contacts") or []:
        attended = "attended" if c["attended"] else "did not attend"
        venue = f", {_words(c['venue'])}" if c.get("venue") else ""
        out.append(
            Moment(
                str(c["occurred_at"])[:10],
                "Contact",
                f"{_words(c['mode'])}{venue}, {c['duration_minutes']} minutes, {attended}",
            )
        )
    for a in case.get("contact_attempts") or []:
        out.append(Moment(str(a["occurred_at"])[:10], "Failed contact attempt", a.get("note") or ""))
    for s in case.get("stars") or []:
        if s.get("voided_on"):
            out.append(Moment(str(s["voided_on"]), "Well-being Star voided", s.get("void_reason") or ""))
        kind = s.get("kind") or s.get("recorded_kind")
        out.append(Moment(str(s["taken_on"]), f"Well-being Star ({kind})", f"total {s['total']} of 80"))
        for c in s.get("corrections") or []:
            out.append(Moment(str(c["corrected_on"]), "Well-being Star corrected", f"total now {c['total']}"))
    for g in case.get("goals") or []:
        out.append(Moment(str(g["agreed_on"]), "Goal agreed", _goal_words(g)))
        for h in g.get("history") or []:
            out.append(Moment(str(h["on"]), "Goal updated", f"{_words(h['from_status'])} → {_words(h['to_status'])}"))
        for step in g.get("steps") or []:
            due = long_date(date.fromisoformat(str(step["due_on"])))
            words = step.get("description") or ""
            out.append(Moment(str(step["added_on"]), "Action step added", f"{words} (by {due})"))
            for h in step.get("history") or []:
                change = _words(h["to_status"]) if h["to_status"] != h["from_status"] else f"now due {h['due_on']}"
                out.append(Moment(str(h["on"]), "Action step updated", f"{words}: {change}"))
    for k in case.get("linkages") or []:
        name = k.get("service_name") or "a service"
        out.append(Moment(str(k["made_on"]), "Linkage suggested", f"{name} ({_words(k['category'])})"))
        for h in k.get("history") or []:
            out.append(Moment(str(h["on"]), "Linkage updated", f"{name}: {_words(h['to_status'])}"))
    for e in case.get("extensions") or []:
        out.append(Moment(str(e["extended_on"]), "Extended", f"review on {e['review_on']}. {e.get('reason') or ''}"))
    for c in case.get("safeguarding_concerns") or []:
        out.append(
            Moment(
                str(c["raised_on"]), "Safeguarding concern raised", f"{_words(c['category'])}, {c['risk_level']} risk"
            )
        )
        if c.get("closed_on"):
            out.append(Moment(str(c["closed_on"]), "Safeguarding concern closed", _words(c.get("outcome") or "")))
    for c in (case.get("consent") or {}).get("history") or []:
        out.append(Moment(str(c["on"]), "Consent", f"{_words(c['consent'])}: {c['state']}"))
    for p in case.get("preferences") or []:
        out.append(Moment(str(p["recorded_on"]), "Preferences recorded", ""))
    discharge = case.get("discharge")
    if discharge:
        out.append(Moment(str(discharge["discharged_on"]), "Discharged", _words(discharge["reason"])))
    return sorted(out, key=lambda m: m.on, reverse=True)


def _goal_words(goal: Mapping[str, Any]) -> str:
    text = goal.get("description") or "(wording not shown)"
    target = f", by {goal['target_date']}" if goal.get("target_date") else ""
    return f"“{text}” ({', '.join(_words(a) for a in goal.get('star_areas') or [])}{target})"


def _words(code: str) -> str:
    return str(code).replace("_", " ")
