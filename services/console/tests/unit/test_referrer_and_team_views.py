"""The referrer's and the provider manager's views (issue 19), pure: where a referral is on its way, a
discharge summary in words, caseload against capacity, the queue's waiting times, concerns by risk, and
the referral form's own checks and the API's field errors put beside the form's fields."""

from __future__ import annotations

from datetime import date

import pytest

from console.domain import referrals as rf
from console.domain import team
from console.service_layer import referral_changes, referral_form
from console.service_layer.inputs import GENERAL, BadInput


def states(status: str) -> dict[str, str]:
    return {s.name: s.state for s in rf.progress(status)}


def test_an_accepted_referral_has_reached_accepted_and_waits_for_first_contact():
    assert states("accepted") == {
        "received": "done",
        "accepted": "current",
        "contacted": "todo",
        "engaged": "todo",
        "ended": "todo",
    }
    assert rf.STATUS_WORDS["accepted"] == "Accepted: a link worker will contact the patient"


def test_a_practice_is_never_given_words_or_a_step_that_would_tell_waiting_from_allocated():
    assert "eligible" not in rf.STATUS_WORDS and "allocated" not in rf.STATUS_WORDS
    assert rf.STEPS == ("received", "accepted", "contacted", "engaged", "ended")


def test_an_engaged_referral_has_every_step_before_engagement_done():
    assert states("engaged") == {
        "received": "done",
        "accepted": "done",
        "contacted": "done",
        "engaged": "current",
        "ended": "todo",
    }


@pytest.mark.parametrize(
    ("status", "last_done"),
    [("ineligible", "received"), ("unable_to_contact", "accepted"), ("discharged", "engaged")],
)
def test_an_ended_referral_shows_how_far_it_got_and_that_it_ended(status, last_done):
    found = states(status)
    assert found["ended"] == "current" and found[last_done] == "done"
    assert "current" not in [v for k, v in found.items() if k != "ended"]


def test_a_discharge_summary_is_said_in_words_with_every_ineligibility_reason():
    summary = {
        "status": "discharged",
        "referred_on": "2026-01-05",
        "first_contact_on": "2026-01-07",
        "engaged_on": None,
        "contacts_count": 4,
        "closed_on": "2026-06-01",
        "discharge_reason": "reached_time_limit",
        "ineligibility_reasons": [],
    }
    lines = dict(rf.summary_lines(summary))
    assert lines["Outcome"] == "Ended: discharged"
    assert lines["Engaged on"] == "not engaged" and lines["Contacts"] == "4"
    assert lines["Discharge reason"] == "reached the two-year limit"
    assert rf.summary_lines(None) == []
    refused = dict(
        rf.summary_lines(
            summary | {"status": "ineligible", "ineligibility_reasons": [{"message": "Too young"}, {"message": "No"}]}
        )
    )
    assert refused["Not eligible because"] == "Too young; No"


def worker(caseload: int, capacity: int, **more) -> dict:
    return {
        "link_worker_id": more.pop("id", "w"),
        "display_name": more.pop("name", "W"),
        "capacity": capacity,
        "active_caseload": caseload,
        **more,
    }


@pytest.mark.parametrize(
    ("caseload", "capacity", "load", "spare", "percent"),
    [
        (0, 40, "room", 40, 0),
        (35, 40, "room", 5, 88),
        (36, 40, "near", 4, 90),
        (40, 40, "full", 0, 100),
        (41, 40, "over", -1, 100),
        (0, 0, "full", 0, 0),
    ],
)
def test_a_link_workers_load_is_said_against_their_capacity(caseload, capacity, load, spare, percent):
    [found] = team.workers([worker(caseload, capacity)], {})
    assert (found.load, found.spare, found.percent) == (load, spare, percent)


def test_link_workers_are_listed_active_first_by_name_with_their_time_to_first_contact():
    contacts = team.first_contacts(
        [
            {"link_worker_id": None, "contacted": 5, "awaiting": 1, "median_days": 1.5, "p90_days": 3},
            {"link_worker_id": "b", "contacted": 2, "awaiting": 0, "median_days": 2, "p90_days": 2},
        ]
    )
    listed = team.workers(
        [
            worker(1, 5, id="c", name="Cal", active=False),
            worker(1, 5, id="b", name="bea"),
            worker(0, 5, id="a", name="Al"),
        ],
        contacts,
    )
    assert [w.link_worker_id for w in listed] == ["a", "b", "c"]
    assert listed[1].first_contact == team.FirstContact(2, 0, 2.0, 2) and listed[0].first_contact is None
    assert contacts[None].median_days == 1.5


def test_the_queue_keeps_the_apis_order_and_counts_the_days_waited():
    items = [
        {"referral_id": "r1", "practice_ods_code": "A85001", "referred_on": "2026-03-01", "status_since": "2026-03-02"},
        {"referral_id": "r2", "practice_ods_code": "A85002", "referred_on": "2026-03-10", "status_since": None},
    ]
    waiting = team.queue(items, date(2026, 3, 12))
    assert [(w.position, w.referral_id, w.days) for w in waiting] == [(1, "r1", 10), (2, "r2", 2)]
    assert team.days_word(1) == "1 day" and team.days_word(2.5) == "2.5 days" and team.days_word(None) == "–"


def test_open_concerns_come_highest_risk_first_then_the_longest_open():
    rows = [
        {"concern_id": "low", "risk_level": "low", "raised_on": "2026-01-01"},
        {"concern_id": "high-new", "risk_level": "high", "raised_on": "2026-03-01"},
        {"concern_id": "closed", "risk_level": "immediate", "raised_on": "2026-01-01", "is_open": False},
        {"concern_id": "high-old", "risk_level": "high", "raised_on": "2026-02-01"},
        {"concern_id": "now", "risk_level": "immediate", "raised_on": "2026-03-05"},
    ]
    assert [c["concern_id"] for c in team.concerns(rows)] == ["now", "high-old", "high-new", "low"]


def typed(**changes) -> dict:
    base = {
        "nhs_number": "943 476 5919",
        "given_name": " Joan ",
        "family_name": "Robson",
        "date_of_birth": "1965-03-14",
        "sex": "female",
        "postcode": "NE4 6QA",
        "phone": "0191 496 0000",
        "email": "",
        "referrer_name": "Dr A Khan",
        "referrer_role": "gp",
        "reason": "",
        "referred_on": "",
        "conditions": ["copd"],
        "mental_health": [],
    }
    return base | changes


def test_the_referral_form_becomes_the_apis_body_for_the_referrers_own_practice():
    body = referral_form.body(typed(email="joan@example.org"), "A85001")
    assert body["practice_ods_code"] == "A85001"
    assert body["referrer"] == {"name": "Dr A Khan", "role": "gp"}
    assert body["given_name"] == "Joan" and body["email"] == "joan@example.org"
    assert "reason" not in body and "referred_on" not in body


def test_what_cannot_be_sent_is_refused_beside_each_field_before_any_api_is_asked():
    with pytest.raises(BadInput) as refused:
        referral_form.body(typed(nhs_number=" ", sex="", date_of_birth="14/03/1965", referred_on="yesterday"), "A85001")
    assert set(refused.value.problems) == {"nhs_number", "sex", "date_of_birth", "referred_on"}
    assert "YYYY-MM-DD" in refused.value.problems["date_of_birth"]


def test_the_apis_field_errors_land_beside_the_forms_fields():
    problems = referral_form.field_problems(
        [
            {"loc": ["body", "nhs_number"], "msg": "Value error, check digit is wrong"},
            {"loc": ["body", "referrer", "role"], "msg": "unknown role"},
            {"loc": ["body", "conditions", 1], "msg": "unknown condition"},
            {"loc": ["body", "practice_ods_code"], "msg": "unknown practice"},
        ]
    )
    assert problems["nhs_number"] == "This value was refused: check digit is wrong"
    assert problems["referrer_role"] == "This value was refused: unknown role"
    assert problems["conditions"] == "This value was refused: unknown condition"
    assert problems[GENERAL] == "unknown practice"


def test_the_summary_sent_to_the_practice_shows_outcomes_only_when_they_were_shared():
    sent = {
        "reason": "goals_met",
        "discharged_on": "2026-06-01",
        "contacts_held": 3,
        "codes": [{"code": "871731000000106", "display": "Referral to social prescribing service"}],
        "outcomes_shared": True,
        "wellbeing": {
            "baseline_on": "2026-01-10",
            "latest_on": "2026-05-10",
            "baseline_total": 30,
            "latest_total": 34,
            "change": 4,
            "areas": [{"area": "money", "baseline": 3, "latest": 6, "change": 3}],
        },
        "goals": [{"star_areas": ["money", "lifestyle"], "status": "achieved"}],
        "services": [{"category": "physical_activity", "status": "attended", "attended": True}],
    }
    shown = rf.sent_to_practice(sent, {"money": "Money", "lifestyle": "Lifestyle"})
    assert shown is not None and shown.outcomes_shared
    lines = dict(shown.lines)
    assert lines["Well-being Star"] == "30 on 2026-01-10 to 34 on 2026-05-10 (+4)"
    assert lines["Coded as"] == "Referral to social prescribing service (SNOMED CT 871731000000106)"
    assert shown.star_areas == [("Money", 3, 6, 3)]
    assert shown.goals == [("Money, Lifestyle", "achieved")]
    assert shown.services == [("physical activity", "attended", "yes")]
    withheld = rf.sent_to_practice(
        sent | {"outcomes_shared": False, "wellbeing": None, "goals": [], "services": []}, {}
    )
    assert withheld is not None and not withheld.outcomes_shared and withheld.star_areas == []
    assert rf.sent_to_practice(None, {}) is None


def test_a_referral_correction_sends_the_whole_form_and_the_reason_only_when_typed():
    referral = {
        "conditions": ["copd"],
        "mental_health": [],
        "referred_on": "2026-02-03",
        "referrer": {"name": "Dr A Khan", "role": "gp"},
    }
    typed = referral_changes.recorded_entries(referral) | {"fix_conditions": ["copd", "asthma"]}
    assert referral_changes.entries_body(typed) == {
        "conditions": ["copd", "asthma"],
        "mental_health": [],
        "referred_on": "2026-02-03",
        "referrer": {"name": "Dr A Khan", "role": "gp"},
    }
    assert referral_changes.entries_body(typed | {"fix_reason": " Lonely "})["reason"] == "Lonely"
    with pytest.raises(BadInput) as refused:
        referral_changes.entries_body(typed | {"fix_referred_on": "03/02/2026", "fix_referrer_name": " "})
    assert set(refused.value.problems) == {"fix_referred_on", "fix_referrer_name"}


def test_a_withdrawal_needs_its_reason_and_the_apis_errors_go_beside_the_fields():
    with pytest.raises(BadInput) as refused:
        referral_changes.withdrawal_body({"withdraw_on": "2026-02-03"})
    assert set(refused.value.problems) == {"withdraw_reason"}
    assert referral_changes.withdrawal_body({"withdraw_reason": "duplicate", "withdraw_on": ""}) == {
        "reason": "duplicate"
    }
    errors = [{"loc": ["body", "withdrawn_on"], "msg": "in the future"}, {"loc": ["body"], "msg": "odd"}]
    assert set(referral_changes.field_problems(errors, "withdrawal")) == {"withdraw_on", "_withdrawal"}
    errors = [{"loc": ["body", "referrer", "role"], "msg": "unknown"}, {"loc": ["body", "conditions", 1], "msg": "x"}]
    assert set(referral_changes.field_problems(errors, "entries")) == {"fix_referrer_role", "fix_conditions"}
