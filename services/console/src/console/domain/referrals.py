"""A referrer's view of their practice's referrals (issue 19): where each one is on its way (received,
accepted, first contact, engaged, ended) in words, and a discharge summary's codes in words. Pure:
built from the referral API's answers.

The referral API tells a practice `accepted` for a referral waiting in the queue and for one allocated
to a link worker alike, until first contact (docs/security.md §3.1: a referral held behind another
practice's open episode must look like any other), so these words and steps never separate the two."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

STATUS_WORDS = {
    "received": "Received",
    "accepted": "Accepted: a link worker will contact the patient",
    "ineligible": "Not eligible",
    "contacted": "Contacted",
    "engaged": "Engaged (first Well-being Star taken)",
    "unable_to_contact": "Ended: unable to contact",
    "declined": "Ended: declined",
    "discharged": "Ended: discharged",
    "withdrawn": "Withdrawn (made in error)",
}
ENDED = frozenset({"ineligible", "unable_to_contact", "declined", "discharged", "withdrawn"})

# The steps of an episode, in order; a status reaches every step up to its own.
STEPS = ("received", "accepted", "contacted", "engaged", "ended")
_REACHED = {
    "received": 0,
    "ineligible": 0,
    "accepted": 1,
    "contacted": 2,
    "engaged": 3,
    "unable_to_contact": 1,
    "declined": 1,  # before or after first contact: the API says which only through the summary's dates
    "discharged": 3,
    "withdrawn": 0,
}
STEP_WORDS = {
    "received": "Received",
    "accepted": "Accepted",
    "contacted": "First contact",
    "engaged": "Engaged",
    "ended": "Ended",
}

REASON_WORDS = {  # discharge and decline reasons, as the API sends their codes
    "goals_met": "goals met",
    "self_managing": "self-managing",
    "disengaged": "disengaged",
    "moved_away": "moved away",
    "deceased": "deceased",
    "declined_further_support": "declined further support",
    "reached_time_limit": "reached the two-year limit",
    "reached_two_year_limit": "reached the two-year limit",
    "not_interested": "not interested",
    "not_the_right_time": "not the right time",
    "already_supported": "already supported elsewhere",
    "other": "other",
}


@dataclass(frozen=True)
class Step:
    name: str
    words: str
    state: str  # done | current | todo


def progress(status: str) -> list[Step]:
    """The episode's steps, each done, current or still to come; an ended episode's last step is done
    however far it got (`ended` is then the current step)."""
    reached = _REACHED.get(status, 0)
    ended = status in ENDED
    steps: list[Step] = []
    for i, name in enumerate(STEPS):
        if name == "ended":
            state = "current" if ended else "todo"
        elif i < reached or (i == reached and ended):
            state = "done"
        elif i == reached:
            state = "current"
        else:
            state = "todo"
        steps.append(Step(name, STEP_WORDS[name], state))
    return steps


@dataclass(frozen=True)
class Row:
    """One of the practice's referrals as the list shows it (the name read for this request only)."""

    referral_id: str
    patient: str
    status: str
    status_words: str
    status_since: date | None
    referred_on: date
    episode: int
    ended: bool
    steps: list[Step]


def row(item: Mapping[str, Any], patient: str) -> Row:
    status = str(item["status"])
    since = item.get("status_since")
    return Row(
        referral_id=str(item["referral_id"]),
        patient=patient,
        status=status,
        status_words=STATUS_WORDS.get(status, status),
        status_since=date.fromisoformat(str(since)) if since else None,
        referred_on=date.fromisoformat(str(item["referred_on"])),
        episode=int((item.get("episode") or {}).get("number") or 1),
        ended=status in ENDED,
        steps=progress(status),
    )


def summary_lines(summary: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """A discharge summary (dates, codes, counts) as label/value pairs a person reads."""
    if not summary:
        return []
    lines = [
        ("Outcome", STATUS_WORDS.get(str(summary.get("status")), str(summary.get("status")))),
        ("Referred on", str(summary.get("referred_on") or "–")),
        ("First contact", str(summary.get("first_contact_on") or "none")),
        ("Engaged on", str(summary.get("engaged_on") or "not engaged")),
        ("Contacts", "unknown" if summary.get("contacts_count") is None else str(summary["contacts_count"])),
        ("Closed on", str(summary.get("closed_on") or "–")),
    ]
    for key, label in (("discharge_reason", "Discharge reason"), ("decline_reason", "Decline reason")):
        if summary.get(key):
            lines.append((label, REASON_WORDS.get(str(summary[key]), str(summary[key]).replace("_", " "))))
    reasons: Sequence[Mapping[str, Any]] = summary.get("ineligibility_reasons") or []
    if reasons:
        lines.append(("Not eligible because", "; ".join(str(r.get("message")) for r in reasons)))
    return lines


@dataclass(frozen=True)
class SentToPractice:
    """What engagement sent the practice when the case ended, in words: the Star change, goals and
    services are there only when the patient consented to share outcomes with their GP."""

    lines: list[tuple[str, str]]
    star_areas: list[tuple[str, int, int, int]]  # area in words, baseline, latest, change
    goals: list[tuple[str, str]]  # Star areas in words, outcome
    services: list[tuple[str, str, str]]  # category, status, attended
    outcomes_shared: bool


def sent_to_practice(sent: Mapping[str, Any] | None, area_names: Mapping[str, str]) -> SentToPractice | None:
    if not sent:
        return None
    reason = str(sent.get("reason") or "")
    lines = [
        ("Discharged on", str(sent.get("discharged_on") or "–")),
        ("Reason", REASON_WORDS.get(reason, reason.replace("_", " "))),
        ("Contacts attended", str(sent.get("contacts_held", "–"))),
        ("Coded as", "; ".join(f"{c.get('display')} (SNOMED CT {c.get('code')})" for c in sent.get("codes") or [])),
    ]
    wellbeing = sent.get("wellbeing") or None
    if wellbeing:
        change = int(wellbeing["change"])
        lines.append(
            (
                "Well-being Star",
                f"{wellbeing['baseline_total']} on {wellbeing['baseline_on']} to {wellbeing['latest_total']} on "
                f"{wellbeing['latest_on']} ({change:+d})",
            )
        )
    areas = [
        (area_names.get(str(a["area"]), str(a["area"])), int(a["baseline"]), int(a["latest"]), int(a["change"]))
        for a in (wellbeing or {}).get("areas") or []
    ]
    goals = [
        (
            ", ".join(area_names.get(str(x), str(x)) for x in g.get("star_areas") or []),
            str(g.get("status")).replace("_", " "),
        )
        for g in sent.get("goals") or []
    ]
    services = [
        (
            str(v.get("category")).replace("_", " "),
            str(v.get("status")).replace("_", " "),
            "yes" if v.get("attended") else "no",
        )
        for v in sent.get("services") or []
    ]
    return SentToPractice(lines, areas, goals, services, bool(sent.get("outcomes_shared")))
