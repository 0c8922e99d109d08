"""One episode at a time, without telling a practice about another's (docs/domain.md §2, issue 15
item 1): a referral from a practice whose patient already has an open episode from another practice
is eligible on its own entries and waits in its provider's queue, answered `accepted` as every referral
is until first contact (allocated or not); it is allocated when the other episode ends. From the same practice it stays
ineligible (`open_episode_exists`: the practice knows its own referral)."""

from __future__ import annotations

from referral_testkit import OTHER_PRACTICE, PRACTICE, referral_body, with_allocation
from test_referral_lifecycle import TODAY, case_event, contacted, deliver

from contracts.engagement import CaseDischarged


def _refer(client, token, practice: str) -> dict:
    answer = client.post(
        "/referrals",
        json=referral_body(practice_ods_code=practice, referred_on=str(TODAY)),
        headers=token("referrer", practice=practice),
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


def _seen_by(client, token, practice: str, referral_id: str) -> dict:
    answer = client.get(f"/referrals/{referral_id}", headers=token("referrer", practice=practice))
    assert answer.status_code == 200, answer.text
    return answer.json()


def _seen_by_operator(client, token, referral_id: str) -> dict:
    return client.get(f"/referrals/{referral_id}", headers=token("operator")).json()


def test_the_other_practice_is_told_nothing_and_its_referral_waits_for_the_open_episode(client, token, settings):
    first = _refer(client, token, PRACTICE)
    assert first["status"] == "accepted"

    second = _refer(client, token, OTHER_PRACTICE)

    # accepted, like any referral before first contact: no reason, no link worker, no hint of the
    # other episode, and not the same patient id as the first practice was shown
    assert second["status"] == "accepted"
    assert second["eligibility"] == {"eligible": True, "reasons": []}
    assert second["link_worker_id"] is None
    assert second["patient_id"] != first["patient_id"]
    view = _seen_by(client, token, OTHER_PRACTICE, second["referral_id"])
    assert view["status"] == "accepted"
    assert _seen_by_operator(client, token, second["referral_id"])["status"] == "eligible"
    assert first["referral_id"] not in str(view) and "open" not in str(view["eligibility"]).lower()

    # the first episode ends: the held referral takes its turn in its provider's queue at once
    first = with_allocation(client, token, first)
    deliver(client, settings, contacted(first))
    deliver(
        client,
        settings,
        case_event(first, CaseDischarged, reason="goals_met", discharged_on=TODAY, contacts_count=2, stars_count=1),
    )
    assert _seen_by(client, token, OTHER_PRACTICE, second["referral_id"])["status"] == "accepted"
    assert _seen_by_operator(client, token, second["referral_id"])["status"] == "allocated"


def test_from_the_same_practice_a_second_referral_is_ineligible_with_its_reason(client, token):
    _refer(client, token, PRACTICE)
    again = _refer(client, token, PRACTICE)
    assert again["status"] == "ineligible"
    assert [(r["code"], r["message"]) for r in again["eligibility"]["reasons"]] == [
        ("open_episode_exists", "The patient already has an open referral from this practice.")
    ]


def test_two_waiting_referrals_of_one_patient_are_never_both_allocated(client, token, settings):
    first = _refer(client, token, PRACTICE)
    held = _refer(client, token, OTHER_PRACTICE)
    # the first is withdrawn (made in error): the held one is allocated, and only it
    answer = client.post(f"/referrals/{first['referral_id']}/withdrawal", json={"reason": "duplicate"}, headers=token())
    assert answer.status_code == 200, answer.text
    assert _seen_by_operator(client, token, held["referral_id"])["status"] == "allocated"
    third = _refer(client, token, "A85011")  # a third practice while the held one is now open
    assert third["status"] == "accepted" and third["link_worker_id"] is None
    assert _seen_by_operator(client, token, third["referral_id"])["status"] == "eligible"
