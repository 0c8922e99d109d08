"""A line's evidence as a timeline, and why the line is payable, in words."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class Moment:
    """One item of evidence: what it is, when it happened and when the platform learned of it."""

    what: str
    occurred_at: datetime | None
    recorded_at: datetime
    detail: str


def timeline(items: Sequence[Mapping[str, Any]]) -> list[Moment]:
    """The evidence in the order it happened (then recorded)."""
    moments = [_moment(item) for item in items]
    return sorted(moments, key=lambda m: (m.occurred_at or m.recorded_at, m.recorded_at))


def _moment(item: Mapping[str, Any]) -> Moment:
    payload = item.get("payload") or {}
    occurred = item.get("occurred_at")
    what = str(item.get("event_type") or item.get("kind"))
    return Moment(
        what=_words(what),
        occurred_at=datetime.fromisoformat(occurred) if occurred else None,
        recorded_at=datetime.fromisoformat(str(item["recorded_at"])),
        detail=_detail(what, payload),
    )


def _words(event_type: str) -> str:
    """`WellbeingStarRecorded` → `Wellbeing star recorded`."""
    spaced = "".join(f" {c.lower()}" if c.isupper() and i else c for i, c in enumerate(event_type))
    return spaced.replace("_", " ")


def _detail(event_type: str, payload: Mapping[str, Any]) -> str:
    if event_type in ("WellbeingStarRecorded", "WellbeingStarCorrected"):
        taken = payload.get("taken_on") or payload.get("corrected_on")
        return f"total {payload.get('total')} (taken on {taken})"
    if "cost_pence" in payload:
        return f"{payload.get('activity_type')} on {payload.get('activity_date')}, {payload.get('cost_pence')} pence"
    if "per_head_cost_pence" in payload:
        return f"comparison cost for {payload.get('quarter')}: {payload.get('per_head_cost_pence')} pence a head"
    for key in ("allocated_on", "reassigned_on", "engaged_on", "review_on", "opened_on"):
        if key in payload:
            return f"{key.replace('_', ' ')} {payload[key]}"
    return ""


def why_payable(line: Mapping[str, Any], items: Sequence[Mapping[str, Any]]) -> str:
    """In words, e.g. "review of 2019-06-03 scored 34, baseline 31, 140 days after the baseline"."""
    if line.get("outcome_type") == "S":
        rows = sum(1 for i in items if i.get("kind") == "hospital_activity_row")
        return (
            f"cohort {line.get('cohort')} cost less in hospital during {line.get('measured_quarter')} than the "
            f"comparison cost for that quarter; {rows} hospital activity rows were counted"
        )
    stars = _effective_stars(items)
    achieved = date.fromisoformat(str(line["achieved_on"]))
    review = stars.get(achieved)
    earlier = sorted(day for day in stars if day < achieved)
    if review is None or not earlier:
        return f"review of {achieved.isoformat()} qualified under rulebook {line.get('rulebook')}"
    baseline_on = earlier[0]
    days = (achieved - baseline_on).days
    return (
        f"review of {achieved.isoformat()} scored {review}, baseline {stars[baseline_on]} "
        f"(taken {baseline_on.isoformat()}), {days} days after the baseline"
    )


def _effective_stars(items: Sequence[Mapping[str, Any]]) -> dict[date, int]:
    """Each Star's total by the day it was taken, with the corrections in the evidence applied in order."""
    taken: dict[str, date] = {}
    total: dict[str, int] = {}
    for item in sorted(items, key=lambda i: str(i.get("recorded_at"))):
        payload = item.get("payload") or {}
        star_id = str(payload.get("star_id"))
        if item.get("event_type") == "WellbeingStarRecorded":
            taken[star_id] = date.fromisoformat(str(payload["taken_on"]))
            total[star_id] = int(payload["total"])
        elif item.get("event_type") == "WellbeingStarCorrected" and star_id in taken:
            total[star_id] = int(payload["total"])
    return {taken[s]: total[s] for s in taken}
