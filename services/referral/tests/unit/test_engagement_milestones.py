"""Engagement's case events become referral milestones; every engagement discharge reason maps."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from contracts.engagement import CaseDischarged, CaseDischargeReason, GoalUpdated
from contracts.referral import DischargeReason, ReferralStatus
from referral.domain.engagement_milestones import milestone_of

CASE = dict(case_id=uuid.uuid4(), patient_id=uuid.uuid4(), provider_id=uuid.uuid4(), link_worker_id=uuid.uuid4())


@pytest.mark.parametrize("reason", list(CaseDischargeReason))
def test_every_engagement_discharge_reason_maps_to_a_referral_discharge_reason(reason):
    event = CaseDischarged(**CASE, reason=reason, discharged_on=date(2024, 7, 1), contacts_count=3, stars_count=1)
    referral_id, milestone = milestone_of(uuid.uuid4(), event)
    assert referral_id == CASE["case_id"]
    assert milestone.discharge_reason is DischargeReason(reason.value)
    assert milestone.status_after is ReferralStatus.DISCHARGED
    assert milestone.contacts_count == 3


def test_case_events_that_do_not_move_the_referral_are_not_milestones():
    event = GoalUpdated(
        **CASE, goal_id=uuid.uuid4(), from_status="agreed", to_status="in_progress", on=date(2024, 7, 1)
    )
    assert milestone_of(uuid.uuid4(), event) is None
    assert milestone_of(uuid.uuid4(), None) is None
