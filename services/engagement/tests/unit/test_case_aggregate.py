import uuid
from datetime import date, timedelta

import pytest

from contracts.casework import CASEWORK_EVENTS
from contracts.engagement import (
    ENGAGEMENT_EVENTS,
    CaseContacted,
    CaseEngaged,
    CaseOpened,
    CaseReassigned,
    ContactRecorded,
    WellbeingStarRecorded,
)
from contracts.pii import encrypt_field, new_data_key
from contracts.referral import ReferralAllocated, ReferralReceived, ReferrerRole, Sex
from engagement.domain import Case, CaseStatus, InvalidCommand, ValidationFailed

IDENTIFYING_FIELDS = {
    "nhs_number",
    "given_name",
    "family_name",
    "name",
    "date_of_birth",
    "address",
    "postcode",
    "phone",
    "email",
    "description",
    "note",
    "reason_text",
}


def test_a_case_opens_from_its_allocation_with_the_referral_id_as_case_id():
    referral_id, patient_id, provider_id, worker_id = (uuid.uuid4() for _ in range(4))
    sealed = encrypt_field("x", key_id="k", key=new_data_key(), purpose="nhs_number")
    received = ReferralReceived(
        referral_id=referral_id,
        patient_id=patient_id,
        practice_ods_code="A86001",
        referrer_name="Dr Smith",
        referrer_role=ReferrerRole.GP,
        conditions=(),
        age_at_referral=60,
        sex=Sex.FEMALE,
        referred_on=date(2024, 1, 2),
        nhs_number=sealed,
        given_name=sealed,
        family_name=sealed,
        date_of_birth=sealed,
        postcode=sealed,
        phone=sealed,
    )
    allocated = ReferralAllocated(
        referral_id=referral_id, provider_id=provider_id, link_worker_id=worker_id, allocated_on=date(2024, 1, 3)
    )
    [event] = Case.open_from_referral(received, allocated)
    assert event == CaseOpened(
        case_id=referral_id,
        patient_id=patient_id,
        provider_id=provider_id,
        link_worker_id=worker_id,
        practice_ods_code="A86001",
        allocated_on=date(2024, 1, 3),
    )
    case = Case.from_events([event])
    assert case.status is CaseStatus.ALLOCATED and case.is_open and case.version == 1


def test_opening_from_an_allocation_of_another_referral_is_refused(open_case):
    received = ReferralReceived.model_construct(referral_id=uuid.uuid4())
    allocated = ReferralAllocated(
        referral_id=uuid.uuid4(), provider_id=uuid.uuid4(), link_worker_id=uuid.uuid4(), allocated_on=date(2024, 1, 3)
    )
    with pytest.raises(InvalidCommand):
        Case.open_from_referral(received, allocated)


def test_a_history_must_start_with_case_opened(open_case):
    case, history = open_case()
    with pytest.raises(ValueError, match="starts with CaseOpened"):
        Case.from_events(history[1:] + [ContactRecorded.model_construct(case_id=case.case_id)])


def test_a_case_opens_only_once(open_case):
    case, history = open_case()
    with pytest.raises(ValueError, match="opens once"):
        case.apply(history[0])


def test_events_of_another_case_are_refused_by_the_fold(open_case, contacted_case):
    case, _ = open_case()
    _, other_history = contacted_case()
    with pytest.raises(ValueError, match="another case"):
        case.apply(other_history[1])


def test_commands_return_events_and_leave_the_case_unchanged(contacted_case, scores, days):
    case, _ = contacted_case()
    before = case
    events = case.record_star(uuid.uuid4(), taken_on=days["today"], scores=scores, today=days["today"])
    assert [type(e) for e in events] == [WellbeingStarRecorded, CaseEngaged]
    assert case == before and case.status is CaseStatus.CONTACTED


def test_the_fold_over_its_events_reproduces_the_case_even_through_json(engaged_case):
    case, history = engaged_case()
    replayed = [type(e).model_validate_json(e.model_dump_json()) for e in history]
    assert Case.from_events(history) == case == Case.from_events(replayed)
    assert case.version == len(history) == 5
    assert [type(e) for e in history] == [
        CaseOpened,
        ContactRecorded,
        CaseContacted,
        WellbeingStarRecorded,
        CaseEngaged,
    ]


def test_no_event_type_has_a_field_that_could_identify_the_patient():
    for cls in ENGAGEMENT_EVENTS + CASEWORK_EVENTS:
        assert not IDENTIFYING_FIELDS & set(cls.model_fields), cls.event_type
        assert {"case_id", "patient_id", "provider_id", "link_worker_id"} <= set(cls.model_fields)
        assert cls.aggregate_type == "case" and cls.topic == "linkwell.engagement.v1"


def test_every_event_carries_the_case_patient_provider_and_link_worker(engaged_case, ids):
    case, history = engaged_case()
    for event in history:
        assert (event.case_id, event.patient_id) == (case.case_id, case.patient_id)
        assert (event.provider_id, event.link_worker_id) == (ids["provider"], ids["link_worker"])


def test_reassignment_within_the_provider_moves_the_case_and_later_events_name_the_new_worker(
    engaged_case, ids, days, then
):
    case, history = engaged_case()
    new_worker = uuid.uuid4()
    [moved] = case.reassign(new_worker, link_worker_provider_id=ids["provider"], on=days["today"], today=days["today"])
    assert isinstance(moved, CaseReassigned)
    assert (moved.from_link_worker_id, moved.link_worker_id) == (ids["link_worker"], new_worker)
    case, _ = then(case, history, [moved])
    assert case.link_worker_id == new_worker
    [extended] = case.extend(reason="still improving", review_on=date(2025, 6, 1), today=days["today"])
    assert extended.link_worker_id == new_worker and extended.provider_id == ids["provider"]


def test_reassignment_to_a_link_worker_of_another_provider_is_refused(open_case, ids, days):
    case, _ = open_case()
    with pytest.raises(InvalidCommand, match="provider"):
        case.reassign(
            uuid.uuid4(), link_worker_provider_id=ids["other_provider"], on=days["today"], today=days["today"]
        )


def test_reassignment_to_the_link_worker_already_holding_the_case_is_refused(open_case, ids, days):
    case, _ = open_case()
    with pytest.raises(InvalidCommand, match="already holds"):
        case.reassign(
            ids["link_worker"], link_worker_provider_id=ids["provider"], on=days["today"], today=days["today"]
        )


@pytest.mark.parametrize("on, why", [(date(2023, 12, 1), "before the case opened"), (None, "future")])
def test_reassignment_dated_before_the_case_opened_or_in_the_future_is_refused(open_case, ids, days, on, why):
    case, _ = open_case()
    on = on or days["today"] + timedelta(days=1)
    with pytest.raises(ValidationFailed, match=why) as refused:
        case.reassign(uuid.uuid4(), link_worker_provider_id=ids["provider"], on=on, today=days["today"])
    assert [p.field for p in refused.value.problems] == ["reassigned_on"]
