import uuid
from datetime import date, timedelta

import pytest

from contracts.referral import (
    DeclineReason,
    DischargeReason,
    ReferralAllocated,
    ReferralAssessed,
    ReferralClosed,
    ReferralDeclined,
    ReferralReassigned,
    ReferralReceived,
    ReferralStatusChanged,
    WithdrawalReason,
)
from contracts.referral import (
    ReferralStatus as S,
)
from referral.domain import CaseEventType, CaseMilestone, InvalidCommand, InvalidTransition, Referral


def test_receiving_a_referral_records_the_exact_age_on_the_referral_date(received_referral):
    referral, events = received_referral(date_of_birth=date(1984, 6, 3), referred_on=date(2024, 6, 3))
    assert [type(e) for e in events] == [ReferralReceived]
    assert events[0].age_at_referral == 40
    assert referral.status is S.RECEIVED and referral.version == 1 and referral.is_open


def test_the_received_event_carries_no_identifiable_data_in_clear(received_referral):
    _, events = received_referral()
    wire = events[0].model_dump_json()
    for secret in [
        "9434765919",
        "943 476 5919",
        "Ada",
        "Lovelace",
        "1964-03-10",
        "NE1 4LP",
        "ne1 4lp",
        "01914960000",
        "ada@example.org",
        "Lonely",
    ]:
        assert secret not in wire
    assert "Dr Jane Smith" in wire  # staff data travels in clear


def test_an_eligible_referral_stays_eligible_and_open_until_allocated(received_referral):
    referral, _ = received_referral()
    events = referral.assess(practice_participating=True, has_open_episode=False, on=referral.referred_on)
    assert [type(e) for e in events] == [ReferralAssessed]
    after = referral.apply_all(events)
    assert after.status is S.ELIGIBLE and after.is_open and after.provider_id is None


def test_an_ineligible_referral_is_closed_with_every_reason(received_referral):
    referral, _ = received_referral(date_of_birth=date(1990, 1, 1), conditions=[])
    events = referral.assess(practice_participating=False, has_open_episode=True, on=referral.referred_on)
    assert [type(e) for e in events] == [ReferralAssessed, ReferralClosed]
    assert len(events[0].reasons) == 4 and events[1].ineligibility_reasons == events[0].reasons
    after = referral.apply_all(events)
    assert after.status is S.INELIGIBLE and after.is_closed and after.closed_on == referral.referred_on


def test_allocation_records_provider_and_link_worker(referral_in_status, ids):
    referral, _ = referral_in_status(S.ALLOCATED)
    assert (referral.provider_id, referral.link_worker_id) == (ids["provider"], ids["link_worker"])


def test_commands_return_events_and_leave_the_referral_unchanged(referral_in_status):
    referral, _ = referral_in_status(S.ELIGIBLE)
    before = referral
    events = referral.decline(DeclineReason.NOT_THE_RIGHT_TIME, date(2024, 7, 1))
    assert [type(e) for e in events] == [ReferralDeclined, ReferralClosed]
    assert referral == before and referral.status is S.ELIGIBLE


def test_the_fold_over_its_events_reproduces_the_referral(referral_in_status):
    referral, history = referral_in_status(S.DISCHARGED)
    assert Referral.from_events(history) == referral
    assert referral.version == len(history)
    assert [type(e) for e in history] == [
        ReferralReceived,
        ReferralAssessed,
        ReferralAllocated,
        ReferralStatusChanged,
        ReferralStatusChanged,
        ReferralStatusChanged,
        ReferralClosed,
    ]


def test_the_fold_works_on_events_that_went_through_json(referral_in_status):
    referral, history = referral_in_status(S.DISCHARGED)
    replayed = [type(e).model_validate_json(e.model_dump_json()) for e in history]
    assert Referral.from_events(replayed) == referral


def test_a_case_event_delivered_twice_changes_nothing_the_second_time(referral_in_status):
    referral, _ = referral_in_status(S.ALLOCATED)
    contacted = CaseMilestone(CaseEventType.CONTACTED, date(2024, 7, 1), event_id=uuid.uuid4())
    after = referral.apply_all(referral.record_case_event(contacted))
    assert after.record_case_event(contacted) == []


def test_a_status_change_cites_the_case_event_that_caused_it(referral_in_status):
    referral, _ = referral_in_status(S.ALLOCATED)
    cause = uuid.uuid4()
    [changed] = referral.record_case_event(CaseMilestone(CaseEventType.CONTACTED, date(2024, 7, 1), event_id=cause))
    assert (changed.from_status, changed.to_status) == (S.ALLOCATED, S.CONTACTED)
    assert (changed.cause_event_type, changed.cause_event_id) == ("CaseContacted", cause)


def test_unable_to_contact_after_a_first_contact_is_refused(referral_in_status):
    referral, _ = referral_in_status(S.CONTACTED)
    with pytest.raises(InvalidTransition):
        referral.record_case_event(CaseMilestone(CaseEventType.UNABLE_TO_CONTACT, date(2024, 7, 1)))


def test_a_discharge_needs_a_reason_and_only_a_discharge_has_one():
    with pytest.raises(ValueError):
        CaseMilestone(CaseEventType.DISCHARGED, date(2024, 7, 1))
    with pytest.raises(ValueError):
        CaseMilestone(CaseEventType.ENGAGED, date(2024, 7, 1), discharge_reason=DischargeReason.DECEASED)


def test_a_command_dated_before_the_last_change_is_refused(referral_in_status):
    referral, _ = referral_in_status(S.CONTACTED)
    with pytest.raises(InvalidCommand, match=f"before the referral's last change \\({referral.status_since}\\)"):
        referral.decline(DeclineReason.OTHER, referral.status_since - timedelta(days=1))


@pytest.mark.parametrize("status", [S.ELIGIBLE, S.ALLOCATED])
def test_before_first_contact_a_decline_or_withdrawal_is_bounded_by_the_assessment_not_the_allocation(
    referral_in_status, status
):
    """Waiting or allocated, the same dates are refused with the same words (docs/security.md §3.1)."""
    referral, _ = referral_in_status(status)
    assessed_on = referral.assessed_on
    assert assessed_on is not None
    if status is S.ALLOCATED:
        assert referral.allocated_on is not None and assessed_on < referral.allocated_on
    refusals = []
    for command in (
        lambda on: referral.decline(DeclineReason.OTHER, on),
        lambda on: referral.withdraw(WithdrawalReason.DUPLICATE, on),
    ):
        with pytest.raises(InvalidCommand) as refused:
            command(assessed_on - timedelta(days=1))
        refusals.append(str(refused.value))
        ended = referral.apply_all(command(assessed_on))
        assert ended.status_since == assessed_on
    assert refusals == [
        f"declined cannot be dated before the referral's last change ({assessed_on})",
        f"withdrawn cannot be dated before the referral's last change ({assessed_on})",
    ]


def test_a_history_must_start_with_the_referral_being_received(referral_in_status):
    _, history = referral_in_status(S.ELIGIBLE)
    with pytest.raises(ValueError):
        Referral.from_events(history[1:])


def test_events_of_another_referral_cannot_be_applied(referral_in_status):
    referral, _ = referral_in_status(S.RECEIVED)
    _, other_history = referral_in_status(S.ELIGIBLE)
    with pytest.raises(ValueError):
        referral.apply(other_history[1])


def test_a_closed_referral_cannot_be_reopened(referral_in_status):
    referral, _ = referral_in_status(S.DECLINED)
    with pytest.raises(InvalidTransition):
        referral.assess(practice_participating=True, has_open_episode=False, on=date(2024, 7, 1))


@pytest.mark.parametrize("status", [S.ALLOCATED, S.CONTACTED, S.ENGAGED])
def test_a_reassigned_case_moves_the_referral_to_the_new_link_worker_once(referral_in_status, ids, status):
    referral, _ = referral_in_status(status)
    colleague, cause = uuid.uuid4(), uuid.uuid4()
    events = referral.reassign(colleague, referral.status_since, cause)
    assert [type(e) for e in events] == [ReferralReassigned]
    assert (events[0].from_link_worker_id, events[0].link_worker_id) == (ids["link_worker"], colleague)
    after = referral.apply_all(events)
    assert after.link_worker_id == colleague and after.status is status and after.provider_id == ids["provider"]
    assert after.reassign(uuid.uuid4(), referral.status_since, cause) == []  # the same case event again
    assert after.reassign(colleague, referral.status_since, uuid.uuid4()) == []  # already theirs


@pytest.mark.parametrize("status", [S.ELIGIBLE, S.DECLINED, S.DISCHARGED, S.UNABLE_TO_CONTACT])
def test_a_referral_without_a_place_in_a_caseload_cannot_be_reassigned(referral_in_status, status):
    referral, _ = referral_in_status(status)
    with pytest.raises(InvalidCommand):
        referral.reassign(uuid.uuid4(), referral.status_since or date(2024, 6, 3), uuid.uuid4())


def test_a_reassignment_dated_before_the_allocation_is_refused(referral_in_status):
    referral, _ = referral_in_status(S.ALLOCATED)
    with pytest.raises(InvalidCommand):
        referral.reassign(uuid.uuid4(), referral.allocated_on - timedelta(days=1), uuid.uuid4())
