"""A referrer putting their own referral right (issue 19): its entries corrected (conditions, mental-health
needs, the referral date, who referred, the reason: `POST /referrals/{id}/entries`) or the referral
withdrawn as made in error (`POST /referrals/{id}/withdrawal`). Only what cannot be sent is checked here;
the referral API judges the rest (a criterion the corrected entries now fail ends a waiting referral as
not eligible; nothing changed, or an ended episode, is a 409 said on the form)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from console.service_layer.inputs import BadInput
from contracts.referral import WithdrawalReason

OPEN = frozenset({"received", "accepted", "contacted", "engaged"})  # the open statuses the API tells a practice
ENTRY_TEXTS = ("fix_referred_on", "fix_referrer_name", "fix_referrer_role", "fix_reason")
ENTRY_LISTS = ("fix_conditions", "fix_mental_health")
WITHDRAWAL_FIELDS = ("withdraw_reason", "withdraw_on")
WITHDRAWAL_WORDS = {
    WithdrawalReason.WRONG_PATIENT: "It names the wrong patient",
    WithdrawalReason.DUPLICATE: "It was sent twice",
    WithdrawalReason.NOT_INTENDED: "It was sent by mistake",
    WithdrawalReason.OTHER: "Another error",
}
WITHDRAWAL_CHOICES = [(r.value, words) for r, words in WITHDRAWAL_WORDS.items()]
# the API's field (`loc` after "body") → the form's
_API_FIELDS = {
    "conditions": "fix_conditions",
    "mental_health": "fix_mental_health",
    "referred_on": "fix_referred_on",
    "referrer.name": "fix_referrer_name",
    "referrer.role": "fix_referrer_role",
    "referrer": "fix_referrer_name",
    "reason": "fix_reason",
}
_WITHDRAWAL_API_FIELDS = {"reason": "withdraw_reason", "withdrawn_on": "withdraw_on"}


def recorded_entries(referral: Mapping[str, Any]) -> dict[str, Any]:
    """The correction form drawn with the entries as recorded (the reason is sealed: left empty)."""
    referrer = referral.get("referrer") or {}
    return {
        "fix_conditions": list(referral.get("conditions") or []),
        "fix_mental_health": list(referral.get("mental_health") or []),
        "fix_referred_on": str(referral.get("referred_on") or ""),
        "fix_referrer_name": str(referrer.get("name") or ""),
        "fix_referrer_role": str(referrer.get("role") or ""),
        "fix_reason": "",
    }


def entries_body(typed: Mapping[str, Any]) -> dict[str, Any]:
    """The whole form as the API's body (it corrects only what differs from the record); the reason
    only when one is typed (a sealed reason cannot be compared, so an empty one means "keep it")."""
    problems = {}
    day = str(typed.get("fix_referred_on") or "").strip()
    try:
        date.fromisoformat(day)
    except ValueError:
        problems["fix_referred_on"] = "Enter the referral date as YYYY-MM-DD, for example 2026-03-31"
    name = str(typed.get("fix_referrer_name") or "").strip()
    if not name:
        problems["fix_referrer_name"] = "Enter the name of who referred"
    if problems:
        raise BadInput(problems)
    body: dict[str, Any] = {
        "conditions": list(typed.get("fix_conditions") or []),
        "mental_health": list(typed.get("fix_mental_health") or []),
        "referred_on": day,
        "referrer": {"name": name, "role": str(typed.get("fix_referrer_role") or "")},
    }
    reason = str(typed.get("fix_reason") or "").strip()
    if reason:
        body["reason"] = reason
    return body


def withdrawal_body(typed: Mapping[str, Any]) -> dict[str, Any]:
    reason = str(typed.get("withdraw_reason") or "")
    if not reason:
        raise BadInput({"withdraw_reason": "Choose why the referral is withdrawn"})
    on = str(typed.get("withdraw_on") or "").strip()
    return {"reason": reason} | ({"withdrawn_on": on} if on else {})


def field_problems(errors: Iterable[Mapping[str, Any]], form: str) -> dict[str, str]:
    """The API's 422 `errors` beside the form's fields (`form`: `entries` or `withdrawal`); the rest on the
    form's own line (`_entries`, `_withdrawal`)."""
    fields = _API_FIELDS if form == "entries" else _WITHDRAWAL_API_FIELDS
    problems: dict[str, str] = {}
    for error in errors:
        loc = [str(part) for part in error.get("loc") or []]
        path = [p for p in (loc[1:] if loc[:1] == ["body"] else loc) if not p.isdigit()]
        name = ".".join(path)
        field = fields.get(name) or fields.get(path[0] if path else "") or f"_{form}"
        message = str(error.get("msg") or "is not valid").removeprefix("Value error, ")
        text = f"This value was refused: {message}" if not field.startswith("_") else f"{name or 'The form'}: {message}"
        problems[field] = f"{problems[field]}; {text}" if field in problems else text
    return problems
