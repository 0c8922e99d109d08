"""The first-contact deadline (docs/domain.md §4.2a, issue 18): the link worker first tries to reach
the patient within **2 working days of the allocation**, in service hours (Monday to Friday, England
and Wales bank holidays excepted).

- Counted in whole service days: the day of allocation does not count (an allocation can come at
  any hour, and the link worker then has two whole service days); the deadline is the end of the
  second working day after it (17:00 London). An allocation on a weekend or bank holiday counts from
  the next working day as if it came that morning: due at the end of the working day after that
  (Friday or Saturday → Tuesday).
- Bank holidays are data: the maintained `holidays` package (pinned in requirements.txt), England
  (whose bank holidays England and Wales share).
- Met by the first contact **or attempt** on or before the due day: a contact recorded (attended or a
  did-not-attend: both mean the patient was reached or booked) or a failed attempt (the call was made).
- Due: open, not met, the due day is today or later; overdue: open, not met, the due day has passed.
Pure: today is passed in.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays

from engagement.domain.case_state import CaseState

FIRST_CONTACT_WORKING_DAYS = 2
SERVICE_WEEKDAYS = frozenset(range(5))  # Monday..Friday


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() in SERVICE_WEEKDAYS and day not in _bank_holidays(day.year)


def add_working_days(day: date, count: int) -> date:
    """The `count`-th working day after `day` (`day` itself never counts)."""
    found = day
    for _ in range(count):
        found += timedelta(days=1)
        while not is_working_day(found):
            found += timedelta(days=1)
    return found


def first_contact_due_on(allocated_on: date) -> date:
    """The last day the first contact may be made on: the second working day after the allocation day
    (from a non-working day, the next working day is day one: the same rule)."""
    return add_working_days(allocated_on, FIRST_CONTACT_WORKING_DAYS)


def first_contact_on(case: CaseState) -> date | None:
    """The day of the first contact or attempt, if any."""
    return min([*(c.on for c in case.contacts), *(a.on for a in case.failed_attempts)], default=None)


def due_on(case: CaseState) -> date:
    if case.opened_on is None:
        raise ValueError("the case has not opened")
    return first_contact_due_on(case.opened_on)


def first_contact_met(case: CaseState) -> bool | None:
    """Whether the first contact came by its due day; None while none has come."""
    made = first_contact_on(case)
    return None if made is None else made <= due_on(case)


def first_contact_overdue(case: CaseState, today: date) -> bool:
    return case.is_open and first_contact_on(case) is None and today > due_on(case)


def first_contact_pending(case: CaseState, today: date) -> bool:
    """Due and not yet overdue: open, nothing yet, the due day is today or later."""
    return case.is_open and first_contact_on(case) is None and today <= due_on(case)
