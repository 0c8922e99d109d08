"""What a referring practice is told of its referral's progress (issue 15 item 1, docs/security.md §3.1).
Pure.

A referral of a patient with an open episode from another practice is eligible and *held* in the
queue until that episode ends. Were the practice told "waiting" apart from "allocated", a referral
left waiting while another of its referrals was allocated at once would hint at the other practice's
episode. So until the link worker's first contact a practice sees one status, `accepted`, for both,
and nothing that differs between them (provider, link worker, allocation date). An ending the
practice or the provider's manager can bring about from either (a decline, a withdrawal, a correction
of the entries that fails a criterion) hides the allocation before it too; an ending only an
allocated referral reaches (unable to contact, a discharge by the link worker) is the real outcome the
practice needs, and is shown as it is.
"""

from __future__ import annotations

from datetime import date

from contracts.referral import ReferralStatus as S

ACCEPTED = "accepted"
SHOWN_AS_ACCEPTED = frozenset({S.ELIGIBLE, S.ALLOCATED})
# A correction of the entries that fails a criterion ends either as ineligible (docs/domain.md §3.5).
ENDINGS_FROM_EITHER = frozenset({S.DECLINED, S.WITHDRAWN, S.INELIGIBLE})


def practice_status(status: str) -> str:
    """The status a practice is shown for the referral's real status."""
    return ACCEPTED if status in SHOWN_AS_ACCEPTED else status


def hides_allocation(status: str, first_contact_on: date | None) -> bool:
    """Whether the practice must not learn if the referral was ever allocated: while accepted, and
    after a decline, withdrawal or finding of ineligibility that came before any first contact."""
    return status in SHOWN_AS_ACCEPTED or (status in ENDINGS_FROM_EITHER and first_contact_on is None)


def needs_first_steps(status: str) -> bool:
    """Whether showing the referral to its practice needs its assessment or first-contact date from
    its history (an eligible one's `status_since` already is its assessment date; a declined one's
    summary carries its first contact)."""
    return status in (S.ALLOCATED, S.WITHDRAWN)
