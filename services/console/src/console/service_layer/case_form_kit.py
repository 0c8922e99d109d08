"""What every case form shares (issue 19): the form's description (its API path and method, fields and
the API's names for them), reading what was typed, and filling the path's ids safely."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

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
    method: str = "POST"
    # a path parameter → (the form's field, which `/`-separated part of its value): a select of steps
    # sends "goal id/step id"
    ids: Mapping[str, tuple[str, int]] = field(default_factory=dict)


MULTI_VALUED = frozenset({"goal_areas", "goal_revise_areas", "pref_modes", "pref_times", "pref_needs"})


def text(form: Fields, name: str) -> str:
    value = form.get(name, "")
    return (value[0] if value else "") if isinstance(value, list) else value.strip()


def many(form: Fields, name: str) -> list[str]:
    value = form.get(name, [])
    return [value] if isinstance(value, str) else list(value)


def moment(form: Fields, day_field: str, time_field: str, zone: ZoneInfo, what: str) -> str:
    """The date and time typed, in the platform's zone, as RFC 3339 with its offset."""
    problems = {}
    day = time_of_day = None
    try:
        day = date.fromisoformat(text(form, day_field))
    except ValueError:
        problems[day_field] = f"Enter the date of the {what}, for example 2026-03-31"
    try:
        time_of_day = time.fromisoformat(text(form, time_field))
    except ValueError:
        problems[time_field] = f"Enter the time of the {what}, for example 14:30"
    if problems or day is None or time_of_day is None:
        raise BadInput(problems)
    return datetime.combine(day, time_of_day, zone).isoformat()


def whole_number(form: Fields, field: str, message: str) -> int:
    try:
        return int(text(form, field))
    except ValueError:
        raise BadInput({field: message}) from None


def optional(value: str) -> str | None:
    return value or None


def api_path(form: CaseForm, typed: Fields) -> str:
    """The form's API path; an id that is not a UUID never reaches the path (a typed
    `../../<case>/discharge` would otherwise be another route), so the API refuses `-` instead."""
    path = form.api_path
    for name, (source, part) in form.ids.items():
        parts = text(typed, source).split("/")
        try:
            value = str(UUID(parts[part]))
        except (ValueError, IndexError):
            value = "-"
        path = path.replace("{" + name + "}", value)
    return path


def kept(form: CaseForm, typed: Fields) -> dict[str, str | list[str]]:
    """What the person typed into this form, to draw it again beside its problems."""
    return {f: (many(typed, f) if f in MULTI_VALUED else text(typed, f)) for f in form.fields}
