"""Correcting a patient's details (issue 19), one form on two pages: the link worker's case page (a case's
id is its referral's) and the referrer's referral page both send referral's `POST
/referrals/{id}/patient-details`. The form is drawn with the details the page already shows (no other
identifiable field), and carries what was shown as hidden fields, so only what the person changed is
sent, with the reason: a double submission sends the same body (replayed by its `Idempotency-Key`),
and a detail someone else corrected meanwhile is not overwritten by a stale one. What cannot be sent
(no reason, nothing changed) is said with no API asked; the referral API checks each value as at intake
(422 beside its field) and refuses an ended episode or an erased patient (409, said on the form)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from console.adapters.platform_api import ApiRefused, PlatformApi
from console.domain.caseload import Patient
from console.service_layer import inputs
from contracts.referral import CorrectionReason

FORM = "patient-details"  # the form's name in both pages' paths, and the API's
GENERAL = f"_{FORM}"  # a problem said on the form itself
DONE = "The patient's details were corrected."
DETAILS = ("given_name", "family_name", "address", "postcode", "phone", "email")  # the API's names
FIELDS = {detail: f"details_{detail}" for detail in DETAILS}
WAS = {detail: f"details_was_{detail}" for detail in DETAILS}  # as the page showed it (hidden)
REASON = "details_reason"
REASON_CHOICES = [
    (CorrectionReason.CHANGED.value, "They have changed (a move, a new phone number or name)"),
    (CorrectionReason.ENTERED_WRONGLY.value, "They were entered wrongly"),
]
_MAX_TEXT = 1000  # longer than any detail the API takes: it refuses the rest beside the field
_API_FIELDS = {**FIELDS, "reason": REASON}


def recorded(patient: Patient) -> dict[str, str]:
    """The form drawn with the details as the page shows them (and the same, hidden, to compare with)."""
    shown = {detail: str(getattr(patient, detail) or "") for detail in DETAILS}
    return {FIELDS[d]: v for d, v in shown.items()} | {WAS[d]: v for d, v in shown.items()} | {REASON: ""}


def typed_from(posted: Mapping[str, Any]) -> dict[str, str]:
    """This form's fields as posted (the page's other forms are drawn again as recorded)."""
    names = (*FIELDS.values(), *WAS.values(), REASON)
    return {name: str(posted.get(name) or "")[:_MAX_TEXT] for name in names}


def body(typed: Mapping[str, str]) -> dict[str, str]:
    """The reason and each detail that differs from what the page showed (an emptied one is sent empty:
    the API says beside it that it may not be blank)."""
    changed = {d: typed.get(FIELDS[d], "").strip() for d in DETAILS}
    changed = {d: value for d, value in changed.items() if value != typed.get(WAS[d], "").strip()}
    problems = {}
    reason = typed.get(REASON, "")
    if reason not in {value for value, _ in REASON_CHOICES}:
        problems[REASON] = "Choose why the details are corrected"
    if not changed:
        problems[GENERAL] = "Nothing was changed: change the details that are wrong, then send the form"
    if problems:
        raise inputs.BadInput(problems)
    return {"reason": reason} | changed


def refused_problems(refused: ApiRefused) -> dict[str, str] | None:
    """The API's refusal on the form: a 422's field errors beside the fields, a 409 (an ended episode, an
    erased patient) on the form; None for any other refusal (the page's own handling)."""
    if refused.status == 422:
        problems = inputs.field_problems(refused.errors, _API_FIELDS)
        if inputs.GENERAL in problems:
            problems[GENERAL] = problems.pop(inputs.GENERAL)
        return problems or {GENERAL: refused.detail}
    if refused.status == 409:
        return {GENERAL: refused.detail}
    return None


def correct(api: PlatformApi, referral_id: str, posted: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """Send the correction once per the form's `Idempotency-Key`: what was typed, and the problems to draw
    beside it (none once stored). Nothing is stored on a problem."""
    typed = typed_from(posted)
    key = str(posted.get("idempotency_key") or "") or str(uuid.uuid4())
    try:
        api.change_referral(referral_id, FORM, body(typed), key)
    except inputs.BadInput as bad:
        return typed, bad.problems
    except ApiRefused as refused:
        problems = refused_problems(refused)
        if problems is None:
            raise
        return typed, problems
    return typed, {}
