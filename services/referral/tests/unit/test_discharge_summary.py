import uuid
from datetime import date, timedelta
from enum import Enum

import pytest

from contracts.pii import encrypt_field, new_data_key
from contracts.referral import DeclineReason, DischargeReason
from contracts.referral import ReferralStatus as S
from referral.domain import CaseEventType, CaseMilestone, InvalidCommand, discharge_summary


def test_a_discharged_patient_summary_has_every_date_the_reason_and_the_contacts(referral_in_status, referred_on, ids):
    referral, history = referral_in_status(S.DISCHARGED)
    summary = discharge_summary(history)
    assert summary.outcome is S.DISCHARGED
    assert summary.referral_id == referral.referral_id and summary.patient_id == referral.patient_id
    assert summary.practice_ods_code == "A86001"
    assert summary.referred_on == referred_on
    assert summary.first_contact_on == referred_on + timedelta(days=3)
    assert summary.engaged_on == referred_on + timedelta(days=4)
    assert summary.discharged_on == summary.closed_on == referred_on + timedelta(days=5)
    assert summary.discharge_reason is DischargeReason.GOALS_MET
    assert summary.contacts_count == 7
    assert (summary.provider_id, summary.link_worker_id) == (ids["provider"], ids["link_worker"])


def test_a_patient_never_reached_has_no_successful_contacts(referral_in_status):
    _, history = referral_in_status(S.UNABLE_TO_CONTACT)
    summary = discharge_summary(history)
    assert summary.outcome is S.UNABLE_TO_CONTACT
    assert summary.contacts_count == 0 and summary.first_contact_on is None and summary.discharged_on is None


def test_contacts_are_unknown_when_a_contacted_patient_declines(referral_in_status):
    referral, history = referral_in_status(S.ENGAGED)
    declined = referral.decline(DeclineReason.ALREADY_SUPPORTED, date(2024, 7, 1))
    summary = discharge_summary([*history, *declined])
    assert summary.outcome is S.DECLINED and summary.decline_reason is DeclineReason.ALREADY_SUPPORTED
    assert summary.contacts_count is None and summary.discharge_reason is None


def test_the_summary_holds_no_free_text_even_when_the_decline_had_a_note(referral_in_status):
    referral, history = referral_in_status(S.ALLOCATED)
    note = encrypt_field("Her daughter is moving in to help", key_id="k", key=new_data_key(), purpose="decline_note")
    summary = discharge_summary([*history, *referral.decline(DeclineReason.OTHER, date(2024, 7, 1), note)])
    assert note not in vars(summary).values()
    free_text = [v for v in vars(summary).values() if isinstance(v, str) and not isinstance(v, Enum)]
    assert free_text == ["A86001"]  # codes only, besides the practice's ODS code


def test_an_ineligible_referral_summary_lists_why(received_referral):
    referral, history = received_referral(conditions=[])
    events = referral.assess(practice_participating=True, has_open_episode=False, on=referral.referred_on)
    summary = discharge_summary([*history, *events])
    assert summary.outcome is S.INELIGIBLE
    assert [r.code for r in summary.ineligibility_reasons] == ["no_qualifying_condition"]


def test_an_open_referral_has_no_discharge_summary(referral_in_status):
    _, history = referral_in_status(S.ENGAGED)
    with pytest.raises(InvalidCommand):
        discharge_summary(history)


def test_discharge_without_a_contact_count_leaves_it_unknown(referral_in_status):
    referral, history = referral_in_status(S.CONTACTED)
    milestone = CaseMilestone(CaseEventType.DISCHARGED, date(2024, 7, 1), uuid.uuid4(), DischargeReason.MOVED_AWAY)
    summary = discharge_summary([*history, *referral.record_case_event(milestone)])
    assert summary.contacts_count is None and summary.discharge_reason is DischargeReason.MOVED_AWAY
