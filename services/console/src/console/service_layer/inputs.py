"""What a person typed into a page, checked before any API is asked: a readable message per bad field.

Dates and moments are checked with the very types the APIs declare (`date` and the runtime's
`UtcInstant`, through pydantic), so what passes here the APIs accept, and what they would refuse is
refused here, beside its field. What an API refuses anyway (422 with field `errors`) is mapped back onto
the page's fields by `field_problems`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import TypeAdapter, ValidationError

from linkwell_runtime.input_guards import RFC3339, UtcInstant

_DATE: TypeAdapter[date] = TypeAdapter(date)
_INSTANT: TypeAdapter[datetime] = TypeAdapter(UtcInstant)
GENERAL = "_form"  # problems that belong to no one field (the error summary lists them unlinked)


class BadInput(Exception):
    """One or more fields a person typed are not valid: `problems` maps field → message."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


@dataclass(frozen=True)
class Moment:
    as_of: str | None  # YYYY-MM-DD, None: today
    known_at: str | None  # RFC 3339 with an offset, None: now


def moment(as_of: str | None, known_at: str | None, *, field: str = "known_at") -> Moment:
    problems: dict[str, str] = {}
    as_of = (as_of or "").strip() or None
    known_at = (known_at or "").strip() or None
    if as_of is not None:
        problems.update(date_problem(as_of, "as_of"))
    if known_at is not None:
        problems.update(instant_problem(known_at, field))
    if problems:
        raise BadInput(problems)
    return Moment(as_of, known_at)


def date_problem(value: str, field: str) -> dict[str, str]:
    """The reporting API's `as_of` rule (a `date` query parameter)."""
    try:
        _DATE.validate_python(value)
    except ValidationError:
        return {field: "Enter the effective date as YYYY-MM-DD, for example 2026-03-31"}
    return {}


def instant_problem(value: str, field: str) -> dict[str, str]:
    """The APIs' rule for a moment (`linkwell_runtime.input_guards.UtcInstant`), in words."""
    try:
        _INSTANT.validate_python(value)
    except ValidationError as invalid:
        if not RFC3339.match(value) and _naive(value):
            return {field: "Add the zone to the moment, for example +00:00 or Z (without it the moment is ambiguous)"}
        if not RFC3339.match(value):
            return {field: "Enter a moment as YYYY-MM-DDTHH:MM with its zone, for example 2026-03-31T17:00+01:00"}
        first = invalid.errors()[0]
        if first["type"] == "value_error":  # the rule's own words: "is outside the calendar once converted to UTC"
            reason = first.get("ctx", {}).get("error", "is not accepted")
            return {field: f"That moment cannot be used: it {reason}. Check the year and the zone"}
        return {field: "That moment is not a real date and time: check the day, the month, the hour and the zone"}
    return {}


def _naive(value: str) -> bool:
    try:
        return datetime.fromisoformat(value).tzinfo is None
    except ValueError:
        return False


def instant(value: str, field: str) -> str:
    """A required moment with its zone."""
    value = value.strip()
    problems = instant_problem(value, field) if value else {field: "Enter a moment"}
    if problems:
        raise BadInput(problems)
    return value


def period(value: str) -> str:
    value = value.strip()
    try:
        datetime.strptime(value, "%Y-%m")
    except ValueError:
        raise BadInput({"period": "Enter the month as YYYY-MM, for example 2026-02"}) from None
    return value


def field_problems(errors: Iterable[Mapping[str, Any]], fields: Mapping[str, str]) -> dict[str, str]:
    """An API's 422 field `errors` (RFC 9457 problem details: `loc`, `msg`) on the page's fields:
    `fields` maps the API's parameter to the form's field; the rest go under GENERAL, by name."""
    problems: dict[str, str] = {}
    for error in errors:
        loc = [str(part) for part in error.get("loc") or []]
        name = loc[-1] if loc else ""
        message = str(error.get("msg") or "is not valid").removeprefix("Value error, ")
        field = fields.get(name)
        if field is None:
            key, text = GENERAL, f"{name or 'The request'}: {message}"
        else:
            key, text = field, f"This value was refused: {message}"
        problems[key] = f"{problems[key]}; {text}" if key in problems else text
    return problems
