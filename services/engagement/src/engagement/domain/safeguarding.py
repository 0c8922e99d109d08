"""Safeguarding concerns (docs/domain.md §4.13): raised → escalated (any number of times) → closed
with an outcome; a closed concern is final (a new worry is a new concern). An open concern flags the
case in every list. Safeguarding is a duty, not case work: it needs no consent to the service and
may be recorded on a closed case (a patient may disclose after discharge). Pure."""

from __future__ import annotations

from contracts.casework import RiskLevel
from engagement.domain.case_state import CaseState
from engagement.domain.casework_records import ConcernRecord

RISK_ORDER = tuple(RiskLevel)  # low < medium < high < immediate


def open_concerns(case: CaseState) -> list[ConcernRecord]:
    return [c for c in case.concerns if c.is_open]


def highest_open_risk(case: CaseState) -> RiskLevel | None:
    """The highest risk level among the open concerns, if any."""
    return max((c.risk_level for c in open_concerns(case)), key=RISK_ORDER.index, default=None)
