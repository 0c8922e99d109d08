"""The two-year clock, counted one way by every service (docs/domain.md §3.4, §4.8).

- The clock starts on the case's **opening** (its allocation date) and its length is data
  (`time_limit.json`: dated entries; the one in force on the opening day applies to the case).
- The **limit day** is the anniversary `years` on (29 February counts to 28 February). The days
  before it are within the limit; the limit day itself is not.
- An **extension** covers every day up to **and including** its review date (the review happens
  within the extension); the latest review date counts.
- A day is **covered** when it is before the limit day or on or before an extension's review date.
  Engagement shows the last covered day of a case; reporting pays a W review only on a covered day.
- A limit **decision is due** (engagement's `past_limit`) from the limit day, and again on the
  latest review date, until an extension reaches past that day or the case ends: on a review date
  the day is still covered, and the review that day must extend again or discharge.

Pure: no clock, no I/O beyond reading the packaged data once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources

from contracts.calendar import add_years


@dataclass(frozen=True)
class LimitLength:
    effective_from: date
    years: int


@cache
def limit_lengths() -> tuple[LimitLength, ...]:
    """The dated lengths in `time_limit.json`, oldest first."""
    data = json.loads(resources.files("contracts").joinpath("time_limit.json").read_text("utf-8"))
    lengths = tuple(
        sorted(
            (LimitLength(date.fromisoformat(item["effective_from"]), int(item["years"])) for item in data["limits"]),
            key=lambda length: length.effective_from,
        )
    )
    if not lengths or any(length.years < 1 for length in lengths):
        raise ValueError("time_limit.json needs at least one length of one year or more")
    return lengths


def limit_years(opened_on: date) -> int:
    """The length in force on the opening day (the earliest one for a case opened before any)."""
    lengths = limit_lengths()
    in_force = [length for length in lengths if length.effective_from <= opened_on]
    return (in_force[-1] if in_force else lengths[0]).years


def limit_on(opened_on: date, years: int | None = None) -> date:
    """The limit day: the first day not within the limit (the anniversary of the opening)."""
    return add_years(opened_on, limit_years(opened_on) if years is None else years)


def covered_until(limit: date, review_dates: Iterable[date]) -> date:
    """The last covered day: the day before the limit, or the latest review date if that is later."""
    return max([limit - timedelta(days=1), *review_dates])


def is_covered(day: date, limit: date, review_dates: Iterable[date]) -> bool:
    """Whether `day` lies within the limit or within an extension (its review date included)."""
    return day <= covered_until(limit, review_dates)


def decision_due(today: date, limit: date, review_dates: Iterable[date]) -> bool:
    """Whether a limit decision (extend or discharge) is due on `today` for an open case: from the
    limit day, unless an extension's review date is after today."""
    latest = max(review_dates, default=None)
    return today >= limit and (latest is None or latest <= today)
