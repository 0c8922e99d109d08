"""The two-year limit (docs/domain.md §3.4, §4.8), counted by `contracts.time_limit`, the one clock
reporting's outcome W counts too.

From the case's opening (its allocation date), not from the first contact: it is fixed when the case
opens and never moves when a contact is entered late. Its length is data (`contracts/time_limit.json`,
the entry in force on the opening day). Staying longer needs a recorded extension; each covers the
case up to and including its review date, the day a decision (extend again or discharge) is due.
"""

from __future__ import annotations

from datetime import date

from contracts import time_limit
from engagement.domain.case_state import CaseState


def limit_date(case: CaseState) -> date:
    """The day the case reaches its limit (a 29 February opening reaches it on 28 February)."""
    if case.opened_on is None:
        raise ValueError("the case has not opened")
    return time_limit.limit_on(case.opened_on)


def extended_until(case: CaseState) -> date | None:
    """The latest review date any extension set, if there is one."""
    return max((e.review_on for e in case.extensions), default=None)


def covered_until(case: CaseState) -> date:
    """The last day within the limit or an extension (the latest review date included)."""
    return time_limit.covered_until(limit_date(case), [e.review_on for e in case.extensions])


def is_covered(case: CaseState, day: date) -> bool:
    """Whether work on `day` lies within the case's time (what reporting pays a W review on)."""
    return time_limit.is_covered(day, limit_date(case), [e.review_on for e in case.extensions])


def is_past_limit(case: CaseState, today: date) -> bool:
    """Open, and a limit decision is due: from the limit day, and on the latest review date, until
    an extension reaches past today."""
    return case.is_open and time_limit.decision_due(today, limit_date(case), [e.review_on for e in case.extensions])
