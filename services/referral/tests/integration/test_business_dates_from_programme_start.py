"""Business dates before the programme's start (2015-04-01, `contracts.programme`; docs/domain.md
§6.1) are refused where they are entered: 422 naming the field, nothing stored. The start itself is
accepted (issue 13, item 8)."""

from __future__ import annotations

import pytest
from referral_testkit import OTHER_PRACTICE, VALID_NHS, count, referral_body

from contracts.programme import BEFORE_PROGRAMME_START, PROGRAMME_START

START = PROGRAMME_START.isoformat()  # 2015-04-01
EVE = "2015-03-31"


def refused(client, method: str, path: str, body: dict, headers: dict) -> list[dict]:
    events = count(client, "events")
    answer = client.request(method, path, json=body, headers=headers)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert count(client, "events") == events
    return answer.json()["errors"]


def refer_on(client, token, referred_on: str, nhs: str = VALID_NHS[0]) -> dict:
    answer = client.post("/referrals", json=referral_body(nhs_number=nhs, referred_on=referred_on), headers=token())
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_message_names_the_start():
    assert BEFORE_PROGRAMME_START == "must not be before the programme's start, 2015-04-01"


@pytest.mark.parametrize("referred_on", [EVE, "2007-05-01"])
def test_a_referral_dated_before_the_programme_is_422_and_nothing_is_stored(client, token, referred_on):
    errors = refused(client, "POST", "/referrals", referral_body(referred_on=referred_on), token())
    assert [(e["loc"], e["msg"]) for e in errors] == [(["body", "referred_on"], BEFORE_PROGRAMME_START)]
    assert count(client, "referrals") == 0
    assert count(client, "patient_keys") == 0


def test_other_malformed_fields_are_listed_beside_it(client, token):
    errors = refused(client, "POST", "/referrals", referral_body(referred_on=EVE, nhs_number="123"), token())
    assert sorted(tuple(e["loc"]) for e in errors) == [("body", "nhs_number"), ("body", "referred_on")]


def test_a_referral_dated_on_the_programmes_first_day_is_accepted(client, token):
    created = refer_on(client, token, START)
    assert created["status"] == "accepted"
    stored = client.get(f"/referrals/{created['referral_id']}", headers=token()).json()
    assert stored["referred_on"] == START


@pytest.mark.parametrize("declined_on", [EVE, "2000-01-01"])
def test_a_decline_dated_before_the_programme_is_422(client, token, declined_on):
    created = refer_on(client, token, START)
    path = f"/referrals/{created['referral_id']}/decline"
    errors = refused(client, "POST", path, {"reason": "other", "declined_on": declined_on}, token())
    assert [(e["loc"], e["msg"]) for e in errors] == [(["body", "declined_on"], BEFORE_PROGRAMME_START)]
    assert client.get(f"/referrals/{created['referral_id']}", headers=token("operator")).json()["status"] == "allocated"


def test_a_decline_on_the_programmes_first_day_is_accepted(client, token):
    created = refer_on(client, token, START)
    answer = client.post(
        f"/referrals/{created['referral_id']}/decline", json={"reason": "other", "declined_on": START}, headers=token()
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "declined"


def test_a_practice_move_dated_before_the_programme_is_422(client, token):
    created = refer_on(client, token, START)
    path = f"/referrals/{created['referral_id']}/practice"
    errors = refused(client, "POST", path, {"practice_ods_code": OTHER_PRACTICE, "moved_on": EVE}, token())
    # one problem for the field, though the day is before the referral too
    assert [(e["loc"], e["msg"]) for e in errors] == [(["body", "moved_on"], BEFORE_PROGRAMME_START)]


def test_a_practice_move_on_the_programmes_first_day_is_accepted(client, token):
    created = refer_on(client, token, START)
    answer = client.post(
        f"/referrals/{created['referral_id']}/practice",
        json={"practice_ods_code": OTHER_PRACTICE, "moved_on": START},
        headers=token(),
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["practice_ods_code"] == OTHER_PRACTICE
