"""The referral form (issue 19): what the referrer typed → the referral API's body (`POST /referrals`),
the console's own checks (what cannot be sent at all) and the API's 422 field errors put beside the form's
fields. Everything else (NHS number, postcode, ages, dates) the API judges: it lists every malformed field
(422) or, for a well-formed referral, every failed eligibility criterion at once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from console.service_layer.inputs import GENERAL, BadInput
from contracts.referral import LongTermCondition, MentalHealthNeed, ReferrerRole, Sex

TEXT_FIELDS = (
    "nhs_number",
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "postcode",
    "phone",
    "email",
    "referrer_name",
    "referrer_role",
    "reason",
    "referred_on",
)
LIST_FIELDS = ("conditions", "mental_health")
REQUIRED = {
    "nhs_number": "Enter the patient's NHS number",
    "given_name": "Enter the patient's given name",
    "family_name": "Enter the patient's family name",
    "date_of_birth": "Enter the patient's date of birth",
    "sex": "Choose the patient's sex",
    "postcode": "Enter the patient's postcode",
    "phone": "Enter a phone number the link worker can call",
    "referrer_name": "Enter your name",
    "referrer_role": "Choose your role",
}
DATES = {"date_of_birth": "date of birth", "referred_on": "referral date"}
CONDITION_WORDS = {
    "type1_diabetes": "Type 1 diabetes",
    "type2_diabetes": "Type 2 diabetes",
    "copd": "COPD",
    "asthma": "Asthma",
    "chd": "Coronary heart disease",
    "heart_failure": "Heart failure",
    "epilepsy": "Epilepsy",
    "osteoporosis": "Osteoporosis",
}
ROLE_WORDS = {"gp": "GP", "practice_nurse": "Practice nurse", "healthcare_assistant": "Healthcare assistant"}
CHOICES = {
    "conditions": [(c.value, CONDITION_WORDS.get(c.value, c.value)) for c in LongTermCondition],
    "mental_health": [(m.value, m.value.capitalize()) for m in MentalHealthNeed],
    "sex": [s.value for s in Sex],
    "referrer_role": [(r.value, ROLE_WORDS.get(r.value, r.value)) for r in ReferrerRole],
}
MAX_TEXT = 2000


def typed_from(form: Mapping[str, Any], lists: Mapping[str, list[str]]) -> dict[str, Any]:
    """What was typed, kept to redraw the form (lists: the ticked boxes)."""
    typed: dict[str, Any] = {name: str(form.get(name) or "")[:MAX_TEXT] for name in TEXT_FIELDS}
    typed |= {name: [str(v) for v in lists.get(name, [])][:20] for name in LIST_FIELDS}
    return typed


def body(typed: Mapping[str, Any], practice: str) -> dict[str, Any]:
    """The API's body; BadInput (field → message) for what cannot be sent: a missing field, a date that
    is not YYYY-MM-DD. The practice is the referrer's own (their token's), never typed."""
    problems: dict[str, str] = {}
    for name, message in REQUIRED.items():
        if not str(typed.get(name) or "").strip():
            problems[name] = message
    for name, words in DATES.items():
        value = str(typed.get(name) or "").strip()
        if value and name not in problems:
            try:
                date.fromisoformat(value)
            except ValueError:
                problems[name] = f"Enter the {words} as YYYY-MM-DD, for example 1965-03-14"
    if problems:
        raise BadInput(problems)
    sent: dict[str, Any] = {
        "nhs_number": typed["nhs_number"].strip(),
        "given_name": typed["given_name"].strip(),
        "family_name": typed["family_name"].strip(),
        "date_of_birth": typed["date_of_birth"].strip(),
        "sex": typed["sex"],
        "postcode": typed["postcode"].strip(),
        "phone": typed["phone"].strip(),
        "practice_ods_code": practice,
        "referrer": {"name": typed["referrer_name"].strip(), "role": typed["referrer_role"]},
        "conditions": list(typed.get("conditions") or []),
        "mental_health": list(typed.get("mental_health") or []),
    }
    for optional in ("email", "reason", "referred_on"):
        value = str(typed.get(optional) or "").strip()
        if value:
            sent[optional] = value
    return sent


_FIELDS = frozenset(TEXT_FIELDS) | frozenset(LIST_FIELDS)


def field_problems(errors: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """The API's 422 `errors` beside the form's fields: `["body", "referrer", "name"]` → `referrer_name`,
    `["body", "conditions", 1]` → `conditions`; what belongs to no field (the practice) goes in the
    summary."""
    problems: dict[str, str] = {}
    for error in errors:
        loc = [str(part) for part in error.get("loc") or []]
        path = loc[1:] if loc[:1] == ["body"] else loc
        name = f"referrer_{path[1]}" if path[:1] == ["referrer"] and len(path) > 1 else (path[0] if path else "")
        message = str(error.get("msg") or "is not valid").removeprefix("Value error, ")
        field, text = (name, f"This value was refused: {message}") if name in _FIELDS else (GENERAL, message)
        problems[field] = f"{problems[field]}; {text}" if field in problems else text
    return problems
