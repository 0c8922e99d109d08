"""The programme's start: the first day a business date may fall on (docs/domain.md §6.1).

No payment rulebook covers a day before it (reporting's earliest rulebook takes effect on this
day, and a reporting test checks that they agree), so referral and engagement refuse a business
date before it where it is entered (422 naming the field), as reporting's commissioner uploads do.
A constant, not data: moving it would leave stored facts outside every rulebook.
"""

from __future__ import annotations

from datetime import date

PROGRAMME_START = date(2015, 4, 1)
# What a refusal says about such a date (the field is named beside it).
BEFORE_PROGRAMME_START = f"must not be before the programme's start, {PROGRAMME_START.isoformat()}"


def before_programme(day: date) -> bool:
    """Whether a business date falls before the programme's start."""
    return day < PROGRAMME_START
