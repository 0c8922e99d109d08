"""Reporting's periods: quarters (`2019Q2`) and claim months (`2019-05`). Anniversaries and London
dates are the platform's (`contracts.calendar`)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from reporting.domain.errors import InvalidPeriod

_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
# Social prescribing outcome data starts this century; anything outside is a typing error, and
# year 0 or 9999 would break date arithmetic (a 500 instead of a 422).
EARLIEST_YEAR, LATEST_YEAR = 2000, 2200


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1..4

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = _QUARTER.match(text)
        if not match:
            raise ValueError("is not a quarter like 2019Q2")
        if not EARLIEST_YEAR <= int(match[1]) <= LATEST_YEAR:
            raise ValueError(f"the year must be between {EARLIEST_YEAR} and {LATEST_YEAR}")
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def containing(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> date:
        return self.plus_months(3).first_day - timedelta(days=1)

    def plus_months(self, months: int) -> Quarter:
        """The quarter beginning `months` (a multiple of 3) after this one begins."""
        index = self.year * 12 + (self.number - 1) * 3 + months
        return Quarter(index // 12, index % 12 // 3 + 1)

    def __contains__(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def __str__(self) -> str:
        return f"{self.year:04d}Q{self.number}"


def parse_period(text: str) -> tuple[date, date]:
    """A claim period `YYYY-MM` → its first and last day."""
    match = _PERIOD.match(text)
    if not match:
        raise InvalidPeriod("is not a month like 2019-05")
    year, month = int(match[1]), int(match[2])
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise InvalidPeriod(f"the year must be between {EARLIEST_YEAR} and {LATEST_YEAR}")
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
