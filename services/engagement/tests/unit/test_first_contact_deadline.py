"""The first-contact deadline (issue 18, item 5; docs/domain.md §4.2): 2 working days after the
allocation day, Monday to Friday, England and Wales bank holidays excepted (the `holidays` package)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from engagement.domain import (
    add_working_days,
    first_contact_due,
    first_contact_due_on,
    first_contact_met,
    first_contact_on,
    first_contact_overdue,
    first_contact_pending,
    is_working_day,
)


@pytest.mark.parametrize(
    ("allocated_on", "due_on"),
    [
        (date(2026, 12, 1), date(2026, 12, 3)),  # Tuesday -> Thursday
        (date(2026, 12, 3), date(2026, 12, 7)),  # Thursday -> Monday, over the weekend
        (date(2026, 12, 4), date(2026, 12, 8)),  # Friday -> Tuesday
        (date(2026, 12, 5), date(2026, 12, 8)),  # Saturday counts from Monday: Tuesday
        (date(2026, 12, 6), date(2026, 12, 8)),  # Sunday too
        (date(2026, 4, 2), date(2026, 4, 8)),  # Thursday before Good Friday and Easter Monday -> Wednesday
        (date(2026, 12, 23), date(2026, 12, 29)),  # Christmas, Boxing Day (Sat) observed Monday 28th
        (date(2025, 8, 22), date(2025, 8, 27)),  # Friday before the late summer bank holiday
    ],
)
def test_the_deadline_is_the_second_working_day_after_allocation(allocated_on, due_on):
    assert first_contact_due_on(allocated_on) == due_on


def test_bank_holidays_of_england_and_wales_are_not_working_days():
    assert not is_working_day(date(2026, 5, 25))  # spring bank holiday
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day observed
    assert not is_working_day(date(2026, 12, 5))  # Saturday
    assert is_working_day(date(2026, 3, 17))  # St Patrick's Day is Northern Ireland's, not ours
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)


def test_a_case_with_no_contact_is_pending_until_its_due_day_then_overdue(open_case):
    case, _ = open_case(allocated_on=date(2026, 12, 4))
    assert first_contact_due(case) == date(2026, 12, 8)
    assert first_contact_pending(case, date(2026, 12, 8)) and not first_contact_overdue(case, date(2026, 12, 8))
    assert first_contact_overdue(case, date(2026, 12, 9)) and not first_contact_pending(case, date(2026, 12, 9))
    assert first_contact_met(case) is None


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


def test_a_failed_attempt_meets_the_deadline_and_a_late_contact_misses_it(open_case):
    case, _ = open_case(allocated_on=date(2026, 12, 4))
    now = _at(date(2026, 12, 20))
    tried = case.apply_all(case.record_failed_attempt(uuid.uuid4(), occurred_at=_at(date(2026, 12, 8)), now=now))
    assert (first_contact_on(tried), first_contact_met(tried)) == (date(2026, 12, 8), True)
    assert not first_contact_overdue(tried, date(2026, 12, 20)) and not first_contact_pending(tried, date(2026, 12, 20))
    late = case.apply_all(
        case.record_contact(
            uuid.uuid4(),
            occurred_at=_at(date(2026, 12, 9)),
            mode="telephone",
            duration_minutes=20,
            attended=True,
            now=now,
        )
    )
    assert (first_contact_on(late), first_contact_met(late)) == (date(2026, 12, 9), False)
