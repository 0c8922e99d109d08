"""The Payable page's query, checked before any API is asked: a readable message per bad field."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


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
        try:
            date.fromisoformat(as_of)
        except ValueError:
            problems["as_of"] = "Enter the effective date as YYYY-MM-DD, for example 2026-03-31"
    if known_at is not None:
        problems.update(_instant_problem(known_at, field))
    if problems:
        raise BadInput(problems)
    return Moment(as_of, known_at)


def _instant_problem(value: str, field: str) -> dict[str, str]:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return {field: "Enter a moment as YYYY-MM-DDTHH:MM with its zone, for example 2026-03-31T17:00+01:00"}
    if parsed.tzinfo is None:
        return {field: "Add the zone to the moment, for example +00:00 or Z (without it the moment is ambiguous)"}
    return {}


def instant(value: str, field: str) -> str:
    """A required moment with its zone."""
    value = value.strip()
    problems = _instant_problem(value, field) if value else {field: "Enter a moment"}
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
