"""The case page's forms (issue 19): what each posts to the engagement API, built from what a person
typed, and how the API's field errors (422, `loc`'s last part) map back onto the form's fields.

Only what the API cannot be sent is checked here (a date and a time that do not make a moment, a
duration that is not a number): everything else the API judges, and its refusal is shown beside the
field. Form fields are prefixed by their form, so that several forms live on one page."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from console.domain.star_chart import AREAS
from console.service_layer.case_form_kit import (
    CaseForm,
    Fields,
    api_path,
    kept,
    moment,
    optional,
    text,
    whole_number,
)
from console.service_layer.case_form_kit import many as _list
from console.service_layer.case_updates import UPDATE_FORMS
from console.service_layer.inputs import BadInput

__all__ = ["FORMS", "CaseForm", "api_path", "kept"]


def _contact(form: Fields, zone: ZoneInfo) -> dict[str, Any]:
    problems: dict[str, str] = {}
    body: dict[str, Any] = {}
    try:
        body["occurred_at"] = moment(form, "contact_date", "contact_time", zone, "contact")
    except BadInput as bad:
        problems |= bad.problems
    try:
        body["duration_minutes"] = whole_number(
            form, "contact_duration", "Enter how long the contact lasted in whole minutes, for example 45"
        )
    except BadInput as bad:
        problems |= bad.problems
    attended = text(form, "contact_attended")
    if attended not in ("yes", "no"):
        problems["contact_attended"] = "Say whether the patient attended"
    if problems:
        raise BadInput(problems)
    return body | {
        "mode": text(form, "contact_mode"),
        "venue": optional(text(form, "contact_venue")),
        "attended": attended == "yes",
    }


def _attempt(form: Fields, zone: ZoneInfo) -> dict[str, Any]:
    at = moment(form, "attempt_date", "attempt_time", zone, "attempt")
    return {"occurred_at": at, "note": optional(text(form, "attempt_note"))}


def _star(form: Fields, _zone: ZoneInfo) -> dict[str, Any]:
    problems: dict[str, str] = {}
    scores: dict[str, int] = {}
    for area in AREAS:
        try:
            scores[area] = int(text(form, f"score_{area}"))
        except ValueError:
            problems[f"score_{area}"] = "Enter a whole number from 1 to 10"
    if problems:
        raise BadInput(problems)
    return {"taken_on": text(form, "star_taken_on"), "scores": scores}


def _goal(form: Fields, _zone: ZoneInfo) -> dict[str, Any]:
    return {
        "description": text(form, "goal_description"),
        "star_areas": _list(form, "goal_areas"),
        "target_date": optional(text(form, "goal_target_date")),
    }


def _step(form: Fields, _zone: ZoneInfo) -> dict[str, Any]:
    return {"description": text(form, "step_description"), "due_on": text(form, "step_due_on")}


def _linkage(form: Fields, _zone: ZoneInfo) -> dict[str, Any]:
    return {"service_id": text(form, "linkage_service_id"), "category": text(form, "linkage_category")}


def _discharge(form: Fields, _zone: ZoneInfo) -> dict[str, Any]:
    return {"discharged_on": text(form, "discharge_on"), "reason": text(form, "discharge_reason")}


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
            ids={"goal_id": ("step_goal_id", 0)},
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
            "Case discharged: its summary is on its way to the practice.",
        ),
        *UPDATE_FORMS,
    )
}
