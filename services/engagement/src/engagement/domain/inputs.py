"""Checks on raw command input, each returning problems instead of raising, so a command can
report every bad field at once."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from enum import StrEnum
from typing import TypeVar

from contracts.calendar import add_years
from contracts.programme import BEFORE_PROGRAMME_START, before_programme
from engagement.domain.errors import ValidationProblem

E = TypeVar("E", bound=StrEnum)
MAX_TEXT = 2000  # goal wording, notes and reasons: stored by the service, never published


def text_problems(
    field: str, text: str | None, *, required: bool, max_length: int = MAX_TEXT
) -> list[ValidationProblem]:
    stripped = (text or "").strip()
    if required and not stripped:
        return [ValidationProblem(field, "is required")]
    if len(stripped) > max_length:
        return [ValidationProblem(field, f"at most {max_length} characters")]
    return []


def member(kind: type[E], value: object) -> E | None:
    """The enum member named by `value`, or None."""
    if not isinstance(value, str):
        return None
    try:
        return kind(value)
    except ValueError:
        return None


def member_problem(field: str, kind: type[E], value: object) -> list[ValidationProblem]:
    if member(kind, value) is not None:
        return []
    return [ValidationProblem(field, "must be one of " + "|".join(m.value for m in kind))]


def members(field: str, kind: type[E], values: Iterable[object]) -> tuple[tuple[E, ...], list[ValidationProblem]]:
    """Parsed members with repeats dropped (order kept), and a problem per bad entry."""
    parsed, problems = [], []
    for i, value in enumerate(values):
        found = member(kind, value)
        if found is None:
            problems += member_problem(f"{field}[{i}]", kind, value)
        else:
            parsed.append(found)
    return tuple(dict.fromkeys(parsed)), problems


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def aware_problems(field: str, instant: datetime) -> list[ValidationProblem]:
    if instant.tzinfo is None or instant.utcoffset() is None:
        return [ValidationProblem(field, "must carry a UTC offset")]
    return []


def business_day_problems(field: str, day: date, today: date) -> list[ValidationProblem]:
    """A business date the client gives: not in the future, not before the programme's start."""
    if day > today:
        return [ValidationProblem(field, f"is in the future (today is {today})")]
    return not_before_programme(field, day)


def not_before_programme(field: str, day: date) -> list[ValidationProblem]:
    """No payment rulebook covers a day before the programme's start (docs/domain.md §6.1)."""
    return [ValidationProblem(field, BEFORE_PROGRAMME_START)] if before_programme(day) else []


def within_years(field: str, day: date, start: date, years: int, what: str) -> list[ValidationProblem]:
    latest = add_years(start, years)
    if day > latest:
        return [
            ValidationProblem(
                field,
                f"must be at most {years} year{'s' if years > 1 else ''} after {what} ({start}), so not after {latest}",
            )
        ]
    return []
