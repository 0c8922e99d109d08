"""Correcting data-entry errors in a referral's own entries (issue 18 item 1, docs/domain.md §3.5):
conditions, mental-health needs, referral date, referrer and reason, on an open referral, by the
referrer of its practice or its provider's manager; a referral not yet contacted (waiting or allocated)
that now fails a criterion ends ineligible, one contacted goes on with the criterion listed; audited;
every refusal changes nothing."""

from __future__ import annotations

import json

from referral_testkit import (
    CHANGING_LIVES,
    OTHER_PRACTICE,
    VALID_NHS,
    count,
    platform_patient_id,
    referral_body,
    with_allocation,
)
from test_referral_lifecycle import contacted, deliver

from linkwell_runtime.testing import cursor


def _manager(token):
    return token("provider_manager", provider_id=str(CHANGING_LIVES))


def _refer(client, token, nhs=VALID_NHS[0]) -> dict:
    answer = client.post("/referrals", json=referral_body(nhs_number=nhs), headers=token())
    assert answer.status_code == 201, answer.text
    return answer.json()


def _nobody_has_room(client, token) -> None:
    workers = client.get("/link-workers", params={"provider_id": str(CHANGING_LIVES)}, headers=_manager(token)).json()
    for w in workers:
        client.patch(f"/link-workers/{w['link_worker_id']}", json={"capacity": 0}, headers=_manager(token))


def _audit(client) -> list[tuple]:
    with cursor(client.app.state.settings.database_url) as cur:
        cur.execute("SELECT subject, role, action, fields FROM access_audit WHERE action = 'correct_referral'")
        return cur.fetchall()


def test_a_waiting_referral_corrected_to_no_qualifying_condition_ends_ineligible(client, token):
    _nobody_has_room(client, token)
    created = _refer(client, token)
    assert with_allocation(client, token, created)["status"] == "eligible"
    path = f"/referrals/{created['referral_id']}"
    answer = client.post(
        f"{path}/entries", json={"conditions": [], "mental_health": ["depression"]}, headers=token(sub="dr-khan")
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["status"], body["corrected"]) == ("ineligible", ["conditions", "mental_health"])
    assert [r["code"] for r in body["criteria_failed"]] == ["no_qualifying_condition"]
    view = client.get(path, headers=token()).json()
    assert (view["status"], view["conditions"], view["mental_health"]) == ("ineligible", [], ["depression"])
    assert view["eligibility"]["eligible"] is False
    assert [r["code"] for r in view["eligibility"]["reasons"]] == ["no_qualifying_condition"]
    assert view["entries_correction"]["corrected"] == ["conditions", "mental_health"]
    # it ended as if the form had been right: the GP is sent the summary with the reason
    summary = client.get(f"{path}/discharge-summary", headers=token()).json()
    assert summary["status"] == "ineligible"
    assert [r["code"] for r in summary["ineligibility_reasons"]] == ["no_qualifying_condition"]
    assert client.get("/referrals", params={"status": "accepted"}, headers=token()).json()["total"] == 0
    assert _audit(client) == [("dr-khan", "referrer", "correct_referral", ["conditions", "mental_health"])]
    assert count(client, "events WHERE event_type = 'ReferralClosed'") == 1


def test_an_allocated_referral_shows_the_corrected_date_age_and_referrer(client, token):
    created = _refer(client, token)  # born 1965-03-14, referred 2024-06-03: 59; allocated that day
    assert with_allocation(client, token, created)["status"] == "allocated"
    path = f"/referrals/{created['referral_id']}"
    body = {"referred_on": "2024-03-13", "referrer": {"name": "Nurse  B Ali", "role": "practice_nurse"}}
    answer = client.post(f"{path}/entries", json=body, headers=_manager(token))
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "allocated"
    assert answer.json()["corrected"] == ["referred_on", "referrer_name", "referrer_role"]
    view = client.get(path, headers=token()).json()
    assert (view["status"], view["referred_on"], view["age_at_referral"]) == ("accepted", "2024-03-13", 58)
    assert view["referrer"] == {"name": "Nurse B Ali", "role": "practice_nurse"}


def test_an_allocated_referral_not_yet_contacted_that_now_fails_a_criterion_ends_ineligible(client, token):
    created = _refer(client, token)
    real = with_allocation(client, token, created)
    assert real["status"] == "allocated"
    workers = f"/link-workers?provider_id={CHANGING_LIVES}"
    caseload = {w["link_worker_id"]: w["active_caseload"] for w in client.get(workers, headers=_manager(token)).json()}
    assert caseload[real["link_worker_id"]] == 1
    answer = client.post(f"/referrals/{created['referral_id']}/entries", json={"conditions": []}, headers=token())
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "ineligible"
    manager_view = client.get(f"/referrals/{created['referral_id']}", headers=_manager(token)).json()
    assert manager_view["status"] == "ineligible" and manager_view["link_worker_id"] == real["link_worker_id"]
    caseload = {w["link_worker_id"]: w["active_caseload"] for w in client.get(workers, headers=_manager(token)).json()}
    assert caseload[real["link_worker_id"]] == 0  # its place is free
    assert count(client, "events WHERE event_type = 'ReferralClosed'") == 1


def test_after_first_contact_a_referral_that_now_fails_a_criterion_goes_on_with_it_listed(client, token, settings):
    created = _refer(client, token)
    deliver(client, settings, contacted(with_allocation(client, token, created)))
    path = f"/referrals/{created['referral_id']}"
    answer = client.post(f"{path}/entries", json={"conditions": []}, headers=_manager(token))
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "contacted"
    view = client.get(path, headers=token()).json()
    assert view["status"] == "contacted"
    assert [r["code"] for r in view["entries_correction"]["criteria_failed"]] == ["no_qualifying_condition"]
    assert view["eligibility"]["eligible"] is True  # as assessed: the team decides (discharge or withdraw)
    operator = client.get(path, headers=token("operator")).json()
    assert operator["entries_correction"]["criteria_failed"] is None and operator["conditions"] is None


def test_a_corrected_reason_is_sealed_and_read_back_by_those_who_see_identity(client, token):
    created = _refer(client, token)
    path = f"/referrals/{created['referral_id']}"
    answer = client.post(f"{path}/entries", json={"reason": "Lonely since moving to Fenham"}, headers=token())
    assert answer.status_code == 200, answer.text
    assert client.get(path, headers=token()).json()["patient"]["reason"] == "Lonely since moving to Fenham"
    with cursor(client.app.state.settings.database_url) as cur:
        cur.execute("SELECT envelope::text FROM events WHERE event_type = 'ReferralEntriesCorrected'")
        [(envelope,)] = cur.fetchall()
    assert "Fenham" not in envelope and json.loads(envelope)["payload"]["corrected"] == ["reason"]


def test_entry_correction_refusals_change_nothing(client, token):
    created = _refer(client, token)
    path = f"/referrals/{created['referral_id']}/entries"
    for body, loc in [
        ({"conditions": ["copd", "gout"]}, ["body", "conditions", 1]),
        ({"mental_health": ["sadness"]}, ["body", "mental_health", 0]),
        ({"referrer": {"role": "surgeon"}}, ["body", "referrer", "role"]),
        ({"referrer": {"name": "   "}}, ["body", "referrer", "name"]),
        ({"referred_on": "2999-01-01"}, ["body", "referred_on"]),
        ({"referred_on": "2015-03-31"}, ["body", "referred_on"]),
        ({"referred_on": "1960-01-01"}, ["body", "referred_on"]),  # before the patient was born (1965)
        ({"reason": "x" * 2001}, ["body", "reason"]),
        ({}, ["body", "entries"]),
        ({"date_of_birth": "1960-01-01"}, ["body", "date_of_birth"]),  # not correctable here
    ]:
        answer = client.post(path, json=body, headers=token())
        assert answer.status_code == 422, (body, answer.text)
        assert loc in [e["loc"] for e in answer.json()["errors"]], (body, answer.text)
    worker_id = with_allocation(client, token, created)["link_worker_id"]
    worker = token("link_worker", provider_id=str(CHANGING_LIVES), link_worker_id=worker_id)
    for other_role in (worker, token("operator"), token("finance"), token("service")):
        assert client.post(path, json={"conditions": ["copd"]}, headers=other_role).status_code == 403
    other_practice = token("referrer", practice=OTHER_PRACTICE)
    assert client.post(path, json={"conditions": ["copd"]}, headers=other_practice).status_code == 404
    other_manager = token("provider_manager", provider_id="00000000-0000-0000-0000-000000000001")
    assert client.post(path, json={"conditions": ["copd"]}, headers=other_manager).status_code == 404
    unchanged = client.post(path, json={"conditions": ["type2_diabetes"], "referred_on": "2024-06-03"}, headers=token())
    assert unchanged.status_code == 409 and "nothing to correct" in unchanged.json()["detail"]
    # allocated 2024-06-03, the day it was assessed: the practice is held to that day, the manager to the case's
    after_accepted = client.post(path, json={"referred_on": "2024-06-04"}, headers=token())
    assert after_accepted.status_code == 409, after_accepted.text
    assert "accepted on 2024-06-03: a practice cannot date it later" in after_accepted.json()["detail"]
    after_opening = client.post(path, json={"referred_on": "2024-06-04"}, headers=_manager(token))
    assert after_opening.status_code == 409 and "case opened on 2024-06-03" in after_opening.json()["detail"]
    client.post(f"/referrals/{created['referral_id']}/decline", json={"reason": "other"}, headers=token())
    ended = client.post(path, json={"conditions": ["copd"]}, headers=token())
    assert ended.status_code == 409 and "ended" in ended.json()["detail"]
    assert count(client, "events WHERE event_type = 'ReferralEntriesCorrected'") == 0
    assert _audit(client) == []


def test_an_erased_patients_referral_cannot_be_corrected(client, token):
    created = _refer(client, token)
    client.post(f"/referrals/{created['referral_id']}/decline", json={"reason": "other"}, headers=token())
    erased = client.post(
        f"/patients/{platform_patient_id(client, token, created['referral_id'])}/erasure", headers=token("operator")
    )
    assert erased.status_code == 200, erased.text
    path = f"/referrals/{created['referral_id']}/entries"
    assert client.post(path, json={"referred_on": "2024-05-01"}, headers=token()).status_code == 409
    assert client.post(path, json={"reason": "new words"}, headers=token()).status_code == 409
    # an erased patient's episode has ended (erasure waits for that): nothing is corrected any more
    assert client.post(path, json={"conditions": ["copd"]}, headers=token()).status_code == 409
