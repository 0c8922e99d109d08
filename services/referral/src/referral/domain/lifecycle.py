"""The referral lifecycle (docs/domain.md §3) as a transition table. Anything not listed is forbidden."""

from __future__ import annotations

from types import MappingProxyType

from contracts.referral import ReferralStatus as S
from referral.domain.errors import InvalidTransition

ALLOWED_TRANSITIONS = MappingProxyType(
    {
        S.RECEIVED: frozenset({S.ELIGIBLE, S.INELIGIBLE}),
        # Every open episode may be withdrawn as made in error (issue 18, docs/domain.md §3.6).
        # eligible or allocated -> ineligible only by a correction of the referral's entries before
        # first contact (docs/domain.md §3.5): the form, put right, fails a criterion. Allocated too, or
        # the practice could tell a referral held in the queue from an allocated one (docs/security.md §3.1).
        S.ELIGIBLE: frozenset({S.ALLOCATED, S.DECLINED, S.WITHDRAWN, S.INELIGIBLE}),
        S.ALLOCATED: frozenset({S.CONTACTED, S.UNABLE_TO_CONTACT, S.DECLINED, S.DISCHARGED, S.WITHDRAWN, S.INELIGIBLE}),
        # No unable_to_contact once contacted: it means three failed attempts and no successful contact.
        S.CONTACTED: frozenset({S.ENGAGED, S.DECLINED, S.DISCHARGED, S.WITHDRAWN}),
        S.ENGAGED: frozenset({S.DISCHARGED, S.DECLINED, S.WITHDRAWN}),
        S.INELIGIBLE: frozenset(),
        S.UNABLE_TO_CONTACT: frozenset(),
        S.DECLINED: frozenset(),
        S.DISCHARGED: frozenset(),
        S.WITHDRAWN: frozenset(),
    }
)

TERMINAL_STATUSES = frozenset(status for status, targets in ALLOWED_TRANSITIONS.items() if not targets)
OPEN_STATUSES = frozenset(S) - TERMINAL_STATUSES  # an open episode blocks a new referral
# Statuses in which a referral occupies a place in its link worker's caseload.
HOLDS_A_PLACE = frozenset({S.ALLOCATED, S.CONTACTED, S.ENGAGED})


def can_transition(from_status: S, to_status: S) -> bool:
    return to_status in ALLOWED_TRANSITIONS[from_status]


def ensure_transition(from_status: S | None, to_status: S) -> None:
    """Raise InvalidTransition unless the lifecycle allows the move."""
    if from_status is None or not can_transition(from_status, to_status):
        raise InvalidTransition(from_status, to_status)
