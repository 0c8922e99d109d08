"""The case page's forms that move what is already recorded on (issue 19): a goal's or an action step's
status and dates, a Star corrected or voided with its reason, a linkage through its statuses, the
two-year limit extended; and the panels' writes: consent, preferences, safeguarding concerns raised and
closed. Each names the item it changes by a select whose value is the item's id (a step's is "goal
id/step id"); an id that is not one never reaches the API's path (`case_form_kit.api_path`).

As with the other forms, only what cannot be sent is checked here; the API judges the rest (a status
the item cannot move to, a date in the future or before the last change) and its 422 is put beside the
field, its 409 on the form."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from console.domain.star_chart import AREAS
from console.service_layer.case_form_kit import CaseForm, Fields, many, optional, text
from console.service_layer.inputs import BadInput

GOAL_MOVES = ("in_progress", "achieved", "revised", "abandoned")  # `revised` carries the goal that replaces it
STEP_MOVES = ("in_progress", "done", "dropped")
LINKAGE_MOVES = ("referred", "attended", "declined", "did_not_start")


def _chosen(form: Fields, name: str, what: str) -> str:
    value = text(form, name)
    if not value:
        raise BadInput({name: f"Choose the {what}"})
    return value


def _goal_update(form: Fields, _zone: ZoneInfo) -> dict[str, Any]:
    problems = {}
    if not text(form, "goal_update_id"):
        problems["goal_update_id"] = "Choose the goal"
    if not text(form, "goal_update_status"):
        problems["goal_update_status"] = "Choose what the goal is now"
    if text(form, "goal_update_status") == "revised" and not text(form, "goal_revise_description"):
        problems["goal_revise_description"] = "Describe the goal that replaces it, in the patient's words"
    if problems:
        raise BadInput(problems)
    body: dict[str, Any] = {
        "status": text(form, "goal_update_status"),
        "on": optional(text(form, "goal_update_on")),
        "note": optional(text(form, "goal_update_note")),
    }
    if body["status"] == "revised":  # closed as revised and its replacement agreed the same day, in one write
        body["replacement"] = {
            "description": text(form, "goal_revise_description"),
            "star_areas": many(form, "goal_revise_areas"),
            "target_date": optional(text(form, "goal_revise_target_date")),
        }
    return body


def _step_update(form: Fields, _zone: ZoneInfo) -> dict[str, Any]:
    _chosen(form, "step_update_id", "action step")
    status, due_on = text(form, "step_update_status"), text(form, "step_update_due_on")
    if not status and not due_on:
        raise BadInput({"step_update_status": "Choose what the step is now, or give it a new date below"})
    body: dict[str, Any] = {"on": optional(text(form, "step_update_on"))}
    if status:
        body["status"] = status
    if due_on:
        body["due_on"] = due_on
    return body


def _star_correct(form: Fields, _zone: ZoneInfo) -> dict[str, Any]:
    problems: dict[str, str] = {}
    scores: dict[str, int] = {}
    if not text(form, "star_correct_id"):
        problems["star_correct_id"] = "Choose the Star to correct"
    for area in AREAS:
        try:
            scores[area] = int(text(form, f"correct_{area}"))
        except ValueError:
            problems[f"correct_{area}"] = "Enter a whole number from 1 to 10"
    if problems:
        raise BadInput(problems)
    return {"scores": scores, "reason": text(form, "star_correct_reason")}


def _star_void(form: Fields, _zone: ZoneInfo) -> dict[str, Any]:
    _chosen(form, "star_void_id", "Star to void")
    return {"reason": text(form, "star_void_reason")}


def _linkage_update(form: Fields, _zone: ZoneInfo) -> dict[str, Any]:
    _chosen(form, "linkage_update_id", "linkage")
    return {
        "status": _chosen(form, "linkage_update_status", "linkage's new status"),
        "on": optional(text(form, "linkage_update_on")),
    }


def _extension(form: Fields, _zone: ZoneInfo) -> dict[str, Any]:
    if not text(form, "extension_review_on"):
        raise BadInput({"extension_review_on": "Enter the day to review the extension, for example 2026-09-30"})
    return {"reason": text(form, "extension_reason"), "review_on": text(form, "extension_review_on")}


def _consent(form: Fields, _zone: ZoneInfo) -> dict[str, Any]:
    return {
        "consent": text(form, "consent_kind"),
        "state": text(form, "consent_state"),
        "on": optional(text(form, "consent_on")),
    }


def _preferences(form: Fields, _zone: ZoneInfo) -> dict[str, Any]:
    return {
        "contact_modes": many(form, "pref_modes"),
        "contact_times": many(form, "pref_times"),
        "language": optional(text(form, "pref_language").lower()),
        "interpreter_needed": text(form, "pref_interpreter") == "yes",
        "accessibility_needs": many(form, "pref_needs"),
        "accessibility_note": optional(text(form, "pref_note")),
    }


def _concern(form: Fields, _zone: ZoneInfo) -> dict[str, Any]:
    return {
        "category": text(form, "concern_category"),
        "risk_level": text(form, "concern_risk"),
        "description": text(form, "concern_description"),
        "immediate_action": optional(text(form, "concern_action")),
    }


def _concern_escalate(form: Fields, _zone: ZoneInfo) -> dict[str, Any]:
    _chosen(form, "concern_escalate_id", "concern")
    return {
        "escalated_to": _chosen(form, "concern_escalate_to", "body it went to"),
        "detail": optional(text(form, "concern_escalate_detail")),
        "escalated_on": optional(text(form, "concern_escalate_on")),
    }


def _concern_close(form: Fields, _zone: ZoneInfo) -> dict[str, Any]:
    _chosen(form, "concern_close_id", "concern")
    return {
        "outcome": text(form, "concern_close_outcome"),
        "note": optional(text(form, "concern_close_note")),
        "closed_on": optional(text(form, "concern_close_on")),
    }


_CORRECTED = {area: f"correct_{area}" for area in AREAS}

UPDATE_FORMS: tuple[CaseForm, ...] = (
    CaseForm(
        "goal_update",
        "goals/{goal_id}",
        (
            "goal_update_id",
            "goal_update_status",
            "goal_update_on",
            "goal_update_note",
            "goal_revise_description",
            "goal_revise_areas",
            "goal_revise_target_date",
        ),
        {
            "goal_id": "goal_update_id",
            "status": "goal_update_status",
            "on": "goal_update_on",
            "note": "goal_update_note",
            "replacement": "goal_revise_description",
            "description": "goal_revise_description",
            "star_areas": "goal_revise_areas",
            "target_date": "goal_revise_target_date",
        },
        _goal_update,
        "Goal updated.",
        method="PATCH",
        ids={"goal_id": ("goal_update_id", 0)},
    ),
    CaseForm(
        "step_update",
        "goals/{goal_id}/steps/{step_id}",
        ("step_update_id", "step_update_status", "step_update_due_on", "step_update_on"),
        {
            "step_id": "step_update_id",
            "status": "step_update_status",
            "due_on": "step_update_due_on",
            "on": "step_update_on",
        },
        _step_update,
        "Action step updated.",
        method="PATCH",
        ids={"goal_id": ("step_update_id", 0), "step_id": ("step_update_id", 1)},
    ),
    CaseForm(
        "star_correct",
        "stars/{star_id}/correction",
        ("star_correct_id", *_CORRECTED.values(), "star_correct_reason"),
        {"star_id": "star_correct_id", "scores": "star_correct_id", "reason": "star_correct_reason", **_CORRECTED},
        _star_correct,
        "Well-being Star corrected: the original scores are kept.",
        ids={"star_id": ("star_correct_id", 0)},
    ),
    CaseForm(
        "star_void",
        "stars/{star_id}/void",
        ("star_void_id", "star_void_reason"),
        {"star_id": "star_void_id", "reason": "star_void_reason", "voided_on": "star_void_id"},
        _star_void,
        "Well-being Star voided: it no longer counts, and it is kept.",
        ids={"star_id": ("star_void_id", 0)},
    ),
    CaseForm(
        "linkage_update",
        "linkages/{linkage_id}",
        ("linkage_update_id", "linkage_update_status", "linkage_update_on"),
        {"linkage_id": "linkage_update_id", "status": "linkage_update_status", "on": "linkage_update_on"},
        _linkage_update,
        "Linkage updated.",
        method="PATCH",
        ids={"linkage_id": ("linkage_update_id", 0)},
    ),
    CaseForm(
        "extension",
        "extension",
        ("extension_reason", "extension_review_on"),
        {"reason": "extension_reason", "review_on": "extension_review_on", "extended_on": "extension_review_on"},
        _extension,
        "Case extended past its two-year limit.",
    ),
    CaseForm(
        "consent",
        "consents",
        ("consent_kind", "consent_state", "consent_on"),
        {"consent": "consent_kind", "state": "consent_state", "on": "consent_on"},
        _consent,
        "Consent recorded.",
    ),
    CaseForm(
        "preferences",
        "preferences",
        ("pref_modes", "pref_times", "pref_language", "pref_interpreter", "pref_needs", "pref_note"),
        {
            "contact_modes": "pref_modes",
            "contact_times": "pref_times",
            "language": "pref_language",
            "interpreter_needed": "pref_interpreter",
            "accessibility_needs": "pref_needs",
            "accessibility_note": "pref_note",
        },
        _preferences,
        "Preferences recorded.",
        method="PUT",
    ),
    CaseForm(
        "concern",
        "safeguarding-concerns",
        ("concern_category", "concern_risk", "concern_description", "concern_action"),
        {
            "category": "concern_category",
            "risk_level": "concern_risk",
            "description": "concern_description",
            "immediate_action": "concern_action",
        },
        _concern,
        "Safeguarding concern raised: follow your organisation's safeguarding procedure now.",
    ),
    CaseForm(
        "concern_escalate",
        "safeguarding-concerns/{concern_id}/escalations",
        ("concern_escalate_id", "concern_escalate_to", "concern_escalate_detail", "concern_escalate_on"),
        {
            "concern_id": "concern_escalate_id",
            "escalated_to": "concern_escalate_to",
            "detail": "concern_escalate_detail",
            "escalated_on": "concern_escalate_on",
        },
        _concern_escalate,
        "Safeguarding concern escalated.",
        ids={"concern_id": ("concern_escalate_id", 0)},
    ),
    CaseForm(
        "concern_close",
        "safeguarding-concerns/{concern_id}/closure",
        ("concern_close_id", "concern_close_outcome", "concern_close_note", "concern_close_on"),
        {
            "concern_id": "concern_close_id",
            "outcome": "concern_close_outcome",
            "note": "concern_close_note",
            "closed_on": "concern_close_on",
        },
        _concern_close,
        "Safeguarding concern closed.",
        ids={"concern_id": ("concern_close_id", 0)},
    ),
)
