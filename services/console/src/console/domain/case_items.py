"""What the case page's update forms offer (issue 19): the goals, action steps, Stars, linkages and
safeguarding concerns that can still move, each with the words a select shows, and the statuses each
can move to (the engagement API's own state machines, so a choice it would refuse is not offered).
Pure: from the engagement API's case."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from console.domain.today import long_date

OPEN_GOALS = frozenset({"agreed", "in_progress"})
OPEN_STEPS = frozenset({"planned", "in_progress"})
GOAL_NEXT = {
    "agreed": ("in_progress", "achieved", "revised", "abandoned"),
    "in_progress": ("achieved", "revised", "abandoned"),
}
STEP_NEXT = {"planned": ("in_progress", "done", "dropped"), "in_progress": ("done", "dropped")}
LINKAGE_NEXT = {"suggested": ("referred", "declined"), "referred": ("attended", "declined", "did_not_start")}
STATUS_NAMES = {
    "agreed": "Agreed",
    "in_progress": "In progress",
    "achieved": "Achieved",
    "revised": "Revised",
    "abandoned": "Dropped",
    "planned": "Planned",
    "done": "Done",
    "dropped": "Dropped",
    "suggested": "Suggested",
    "referred": "Referred",
    "attended": "Attended",
    "declined": "Declined",
    "did_not_start": "Did not start",
}


@dataclass(frozen=True)
class Choice:
    value: str  # what the form sends: the item's id ("goal id/step id" for a step)
    label: str
    moves: tuple[str, ...]  # the statuses it may move to


def status_name(code: str) -> str:
    return STATUS_NAMES.get(code, code.replace("_", " ").capitalize())


def _goal_label(goal: Mapping[str, Any]) -> str:
    return str(goal.get("description") or f"Goal agreed {goal['agreed_on']}")


def goals(case: Mapping[str, Any]) -> list[Choice]:
    return [
        Choice(str(g["goal_id"]), f"{_goal_label(g)} ({status_name(g['status'])})", GOAL_NEXT[g["status"]])
        for g in case.get("goals") or []
        if g["status"] in OPEN_GOALS
    ]


def steps(case: Mapping[str, Any]) -> list[Choice]:
    """Open steps of open goals, the soonest due first."""
    found = []
    for g in case.get("goals") or []:
        if g["status"] not in OPEN_GOALS:
            continue
        for s in g.get("steps") or []:
            if s["status"] in OPEN_STEPS:
                due = long_date(date.fromisoformat(str(s["due_on"])))
                overdue = ", overdue" if s.get("is_overdue") else ""
                label = f"{s.get('description') or 'A step'} (by {due}{overdue}; {status_name(s['status'])})"
                found.append(
                    (str(s["due_on"]), Choice(f"{g['goal_id']}/{s['step_id']}", label, STEP_NEXT[s["status"]]))
                )
    return [c for _, c in sorted(found, key=lambda pair: pair[0])]


def stars(case: Mapping[str, Any]) -> list[Choice]:
    """Stars that still count, newest first (a voided Star cannot be corrected or voided again)."""
    standing = sorted(
        (s for s in case.get("stars") or [] if s.get("voided_on") is None),
        key=lambda s: str(s["taken_on"]),
        reverse=True,
    )
    return [
        Choice(str(s["star_id"]), f"{s['taken_on']}, {s.get('kind') or s['recorded_kind']}, total {s['total']}", ())
        for s in standing
    ]


def latest_scores(case: Mapping[str, Any]) -> dict[str, str]:
    """The newest standing Star's scores, to start a correction from (`correct_<area>` fields)."""
    standing = sorted(
        (s for s in case.get("stars") or [] if s.get("voided_on") is None), key=lambda s: str(s["taken_on"])
    )
    if not standing:
        return {}
    return {f"correct_{area}": str(score) for area, score in standing[-1]["scores"].items()}


def linkages(case: Mapping[str, Any]) -> list[Choice]:
    """Linkages still `suggested` or `referred`: those with a status to move to."""
    return [
        Choice(
            str(k["linkage_id"]),
            f"{k.get('service_name') or 'A service'} ({status_name(k['status'])} since {_since(k)})",
            LINKAGE_NEXT[k["status"]],
        )
        for k in case.get("linkages") or []
        if k["status"] in LINKAGE_NEXT
    ]


def _since(linkage: Mapping[str, Any]) -> str:
    history = linkage.get("history") or []
    return str(history[-1]["on"] if history else linkage["made_on"])


def open_concerns(case: Mapping[str, Any]) -> list[Choice]:
    return [
        Choice(
            str(c["concern_id"]),
            f"{str(c['category']).replace('_', ' ').capitalize()}, {c['risk_level']} risk, raised {c['raised_on']}",
            (),
        )
        for c in case.get("safeguarding_concerns") or []
        if c["status"] == "open"
    ]


def current_preferences(case: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The last set of preferences recorded stands (every set is kept)."""
    sets = case.get("preferences") or []
    return sets[-1] if sets else None
