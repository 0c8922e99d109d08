"""Calendar arithmetic every service counts the same way: months and anniversaries, London dates.
Pure: "today" is always passed in, never read."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

SERVICE_TIMEZONE = ZoneInfo("Europe/London")  # Newcastle: dates are the patient's local dates


def add_months(day: date, months: int) -> date:
    """Same day of the month, `months` later; clamped to the month's end (31 Aug + 6 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: date, years: int) -> date:
    """The anniversary `years` on; 29 February falls back to 28 February."""
    return add_months(day, 12 * years)


def local_date(instant: datetime) -> date:
    """The Europe/London calendar date of an aware instant."""
    if instant.tzinfo is None:
        raise ValueError("instant must carry a UTC offset")
    return instant.astimezone(SERVICE_TIMEZONE).date()


def start_of_day_utc(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)
