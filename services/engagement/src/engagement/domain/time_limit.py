"""The two-year limit (docs/domain.md §3): support is for up to two years from the case's opening.

Counted from allocation (the day the provider took the case on), not from the first contact: it
is fixed when the case opens and never moves when a contact is entered late. Staying longer
needs a recorded extension; each extension covers the case until its review date.
"""

from __future__ import annotations

from datetime import date

from contracts.calendar import add_years
from engagement.domain.case_state import CaseState

TIME_LIMIT_YEARS = 2


def limit_date(case: CaseState) -> date:
    """The day the case reaches its limit (a 29 February opening reaches it on 28 February)."""
    if case.opened_on is None:
        raise ValueError("the case has not opened")
    return add_years(case.opened_on, TIME_LIMIT_YEARS)


def extended_until(case: CaseState) -> date | None:
    """The latest review date any extension set, if there is one."""
    return max((e.review_on for e in case.extensions), default=None)


def is_past_limit(case: CaseState, today: date) -> bool:
    """Open for two years or more on `today`, and no extension reaches past today."""
    if not case.is_open or today < limit_date(case):
        return False
    until = extended_until(case)
    return until is None or until <= today
