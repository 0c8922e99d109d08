"""The case page's forms (issue 19): what each posts to the engagement API, built from what a person
typed, and how the API's field errors (422, `loc`'s last part) map back onto the form's fields.

Only what the API cannot be sent is checked here (a date and a time that do not make a moment, a
duration that is not a number): everything else the API judges, and its refusal is shown beside the
field. Form fields are prefixed by their form, so that several forms live on one page."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from console.domain.star_chart import AREAS
from console.service_layer.inputs import BadInput

Fields = Mapping[str, str | list[str]]


@dataclass(frozen=True)
class CaseForm:
    name: str  # in the path: POST /cases/{id}/{name}
    api_path: str  # after /cases/{id}/ ("{goal_id}" filled from the form)
    fields: tuple[str, ...]
    api_names: Mapping[str, str]  # the API's field → the form's field
    body: Callable[[Fields, ZoneInfo], dict[str, Any]]  # raises BadInput
    done: str  # what the page says once it is stored


def _text(form: Fields, name: str) -> str:
    value = form.get(name, "")
    return (value[0] if value else "") if isinstance(value, list) else value.strip()


def _list(form: Fields, name: str) -> list[str]:
    value = form.get(name, [])
    return [value] if isinstance(value, str) else list(value)


def moment(form: Fields, day_field: str, time_field: str, zone: ZoneInfo, what: str) -> str:
    """The date and time typed, in the platform's zone, as RFC 3339 with its offset."""
    problems = {}
    day = time_of_day = None
    try:
        day = date.fromisoformat(_text(form, day_field))
    except ValueError:
        problems[day_field] = f"Enter the date of the {what}, for example 2026-03-31"
    try:
        time_of_day = time.fromisoformat(_text(form, time_field))
    except ValueError:
        problems[time_field] = f"Enter the time of the {what}, for example 14:30"
    if problems or day is None or time_of_day is None:
        raise BadInput(problems)
    return datetime.combine(day, time_of_day, zone).isoformat()


def _whole_number(form: Fields, field: str, message: str) -> int:
    try:
        return int(_text(form, field))
    except ValueError:
        raise BadInput({field: message}) from None


def _optional(value: str) -> str | None:
    return value or None


def _contact(form: Fields, zone: ZoneInfo) -> dict[str, Any]:
    problems: dict[str, str] = {}
    body: dict[str, Any] = {}
    try:
        body["occurred_at"] = moment(form, "contact_date", "contact_time", zone, "contact")
    except BadInput as bad:
        problems |= bad.problems
    try:
        body["duration_minutes"] = _whole_number(
            form, "contact_duration", "Enter how long the contact lasted in whole minutes, for example 45"
        )
    except BadInput as bad:
        problems |= bad.problems
    attended = _text(form, "contact_attended")
    if attended not in ("yes", "no"):
        problems["contact_attended"] = "Say whether the patient attended"
    if problems:
        raise BadInput(problems)
    return body | {
        "mode": _text(form, "contact_mode"),
        "venue": _optional(_text(form, "contact_venue")),
        "attended": attended == "yes",
    }


def _attempt(form: Fields, zone: ZoneInfo) -> dict[str, Any]:
    at = moment(form, "attempt_date", "attempt_time", zone, "attempt")
    return {"occurred_at": at, "note": _optional(_text(form, "attempt_note"))}


def _star(form: Fields, _zone: ZoneInfo) -> dict[str, Any]:
    problems: dict[str, str] = {}
    scores: dict[str, int] = {}
    for area in AREAS:
        try:
            scores[area] = int(_text(form, f"score_{area}"))
        except ValueError:
            problems[f"score_{area}"] = "Enter a whole number from 1 to 10"
    if problems:
        raise BadInput(problems)
    return {"taken_on": _text(form, "star_taken_on"), "scores": scores}


def _goal(form: Fields, _zone: ZoneInfo) -> dict[str, Any]:
    return {
        "description": _text(form, "goal_description"),
        "star_areas": _list(form, "goal_areas"),
        "target_date": _optional(_text(form, "goal_target_date")),
    }


def _step(form: Fields, _zone: ZoneInfo) -> dict[str, Any]:
    return {"description": _text(form, "step_description"), "due_on": _text(form, "step_due_on")}


def _linkage(form: Fields, _zone: ZoneInfo) -> dict[str, Any]:
    return {"service_id": _text(form, "linkage_service_id"), "category": _text(form, "linkage_category")}


def _discharge(form: Fields, _zone: ZoneInfo) -> dict[str, Any]:
    return {"discharged_on": _text(form, "discharge_on"), "reason": _text(form, "discharge_reason")}


_SCORES = {area: f"score_{area}" for area in AREAS}

FORMS: dict[str, CaseForm] = {
    f.name: f
    for f in (
        CaseForm(
            "contact",
            "contacts",
            ("contact_date", "contact_time", "contact_mode", "contact_duration", "contact_venue", "contact_attended"),
            {
                "occurred_at": "contact_date",
                "mode": "contact_mode",
                "duration_minutes": "contact_duration",
                "venue": "contact_venue",
                "attended": "contact_attended",
            },
            _contact,
            "Contact recorded.",
        ),
        CaseForm(
            "attempt",
            "contact-attempts",
            ("attempt_date", "attempt_time", "attempt_note"),
            {"occurred_at": "attempt_date", "note": "attempt_note"},
            _attempt,
            "Failed attempt recorded.",
        ),
        CaseForm(
            "star",
            "stars",
            ("star_taken_on", *_SCORES.values()),
            {"taken_on": "star_taken_on", "scores": "star_taken_on", **_SCORES},
            _star,
            "Well-being Star recorded.",
        ),
        CaseForm(
            "goal",
            "goals",
            ("goal_description", "goal_areas", "goal_target_date"),
            {"description": "goal_description", "star_areas": "goal_areas", "target_date": "goal_target_date"},
            _goal,
            "Goal agreed.",
        ),
        CaseForm(
            "step",
            "goals/{goal_id}/steps",
            ("step_goal_id", "step_description", "step_due_on"),
            {"description": "step_description", "due_on": "step_due_on", "goal_id": "step_goal_id"},
            _step,
            "Action step added.",
        ),
        CaseForm(
            "linkage",
            "linkages",
            ("linkage_service_id", "linkage_category"),
            {"service_id": "linkage_service_id", "category": "linkage_category"},
            _linkage,
            "Linkage made: it starts as suggested.",
        ),
        CaseForm(
            "discharge",
            "discharge",
            ("discharge_on", "discharge_reason"),
            {"discharged_on": "discharge_on", "reason": "discharge_reason"},
            _discharge,
            "Case discharged.",
        ),
    )
}


def api_path(form: CaseForm, typed: Fields) -> str:
    """The form's API path; a goal id that is not a UUID never reaches the path (a typed
    `../../<case>/discharge` would otherwise be another route), so the API refuses `-` instead."""
    try:
        goal = str(UUID(_text(typed, "step_goal_id")))
    except ValueError:
        goal = "-"
    return form.api_path.replace("{goal_id}", goal)


def kept(form: CaseForm, typed: Fields) -> dict[str, str | list[str]]:
    """What the person typed into this form, to draw it again beside its problems."""
    return {f: (_list(typed, f) if f == "goal_areas" else _text(typed, f)) for f in form.fields}
