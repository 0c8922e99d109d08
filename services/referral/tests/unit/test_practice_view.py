"""What a referring practice is told of its referral's progress (domain/practice_view.py): `accepted`
for eligible and allocated, the allocation hidden until first contact and after an ending either can
reach before it; the API's status enum is the lifecycle's and `accepted`."""

from __future__ import annotations

from datetime import date

import pytest

from contracts.referral import ReferralStatus as S
from referral.domain.practice_view import ACCEPTED, hides_allocation, practice_status
from referral.entrypoints.schemas.answers import ListedStatus

FIRST_CONTACT = date(2024, 6, 5)


def test_eligible_and_allocated_are_accepted_and_every_other_status_is_itself():
    assert {practice_status(s) for s in (S.ELIGIBLE, S.ALLOCATED)} == {ACCEPTED}
    others = set(S) - {S.ELIGIBLE, S.ALLOCATED}
    assert {practice_status(s) for s in others} == others


@pytest.mark.parametrize(
    ("status", "first_contact_on", "hidden"),
    [
        (S.ELIGIBLE, None, True),
        (S.ALLOCATED, None, True),
        (S.DECLINED, None, True),  # declined while waiting, or after allocation: alike
        (S.WITHDRAWN, None, True),
        (S.DECLINED, FIRST_CONTACT, False),
        (S.WITHDRAWN, FIRST_CONTACT, False),
        (S.CONTACTED, FIRST_CONTACT, False),
        (S.UNABLE_TO_CONTACT, None, False),  # only an allocated referral ends so: the real outcome
        (S.DISCHARGED, None, False),
        (S.INELIGIBLE, None, True),  # corrected into ineligibility while waiting, or after allocation
    ],
)
def test_the_allocation_is_hidden_until_first_contact_and_after_an_ending_either_could_reach(
    status, first_contact_on, hidden
):
    assert hides_allocation(status, first_contact_on) is hidden


def test_the_statuses_the_api_answers_are_the_lifecycles_and_accepted():
    assert {s.value for s in ListedStatus} == {s.value for s in S} | {ACCEPTED}
