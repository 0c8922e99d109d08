"""What the discharge summary will say (issue 19), shown before the discharge is sent: engagement's own
preview (`GET /cases/{id}/discharge-summary/preview`, exactly the summary the discharge would send the
practice now) in words: the SNOMED CT codes, the reason, the dates and how many contacts were held;
the Star change, goals with their status and the services linked only when the patient consented to
share outcomes with their GP. The summary carries no free text (goals by their Star areas, services by
directory id): the services' names come from the case the page read. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from console.domain.case_items import status_name
from console.domain.star_chart import AREA_NAMES

REASONS = {
    "goals_met": "Goals met",
    "self_managing": "Self-managing",
    "disengaged": "Disengaged",
    "moved_away": "Moved away",
    "deceased": "Deceased",
    "declined_further_support": "Declined further support",
    "reached_time_limit": "Reached the time limit",
    "other": "Other",
}


@dataclass(frozen=True)
class AreaChange:
    area: str
    baseline: int
    latest: int
    change: int


@dataclass(frozen=True)
class Wellbeing:
    baseline_on: str
    latest_on: str
    baseline_total: int
    latest_total: int
    change: int
    areas: tuple[AreaChange, ...]


@dataclass(frozen=True)
class Preview:
    codes: tuple[tuple[str, str], ...]  # (SNOMED CT code, display)
    reason: str
    opened_on: str
    first_contact_on: str | None
    engaged_on: str | None
    discharged_on: str
    contacts_held: int
    outcomes_shared: bool
    wellbeing: Wellbeing | None
    goals: tuple[tuple[str, str, str], ...]  # (Star areas, status, agreed on)
    services: tuple[tuple[str, str, str, bool], ...]  # (service, category, status, attended)


def from_summary(summary: Mapping[str, Any], case: Mapping[str, Any]) -> Preview:
    """The API's summary in the page's words; `case` (the same case, as read for the page) names the
    services linked."""
    names = {str(k["service_id"]): k.get("service_name") for k in case.get("linkages") or []}
    change = summary.get("wellbeing")
    wellbeing = None
    if change:
        wellbeing = Wellbeing(
            str(change["baseline_on"]),
            str(change["latest_on"]),
            int(change["baseline_total"]),
            int(change["latest_total"]),
            int(change["change"]),
            tuple(
                AreaChange(AREA_NAMES.get(a["area"], a["area"]), int(a["baseline"]), int(a["latest"]), int(a["change"]))
                for a in change.get("areas") or []
            ),
        )
    return Preview(
        codes=tuple((str(c["code"]), str(c["display"])) for c in summary.get("codes") or []),
        reason=REASONS.get(str(summary["reason"]), str(summary["reason"])),
        opened_on=str(summary["opened_on"]),
        first_contact_on=_day(summary.get("first_contact_on")),
        engaged_on=_day(summary.get("engaged_on")),
        discharged_on=str(summary["discharged_on"]),
        contacts_held=int(summary["contacts_held"]),
        outcomes_shared=bool(summary["outcomes_shared"]),
        wellbeing=wellbeing,
        goals=tuple(
            (
                ", ".join(AREA_NAMES.get(a, a) for a in g.get("star_areas") or []),
                status_name(str(g["status"])),
                str(g["agreed_on"]),
            )
            for g in summary.get("goals") or []
        ),
        services=tuple(
            (
                str(names.get(str(k["service_id"])) or k["service_id"]),
                str(k["category"]).replace("_", " ").capitalize(),
                status_name(str(k["status"])),
                bool(k["attended"]),
            )
            for k in summary.get("services") or []
        ),
    )


def _day(value: Any) -> str | None:
    return None if value is None else str(value)
