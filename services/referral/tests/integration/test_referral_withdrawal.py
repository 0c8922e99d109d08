"""A referral made in error is withdrawn (issue 18, item 1; docs/domain.md §3.6): a terminal status of
its own, `ReferralWithdrawn` and no `ReferralClosed` (no discharge summary), the caseload place freed
at once, the patient free to be referred again; who may do it, and every refusal changing nothing."""

from __future__ import annotations

from referral_testkit import CHANGING_LIVES, OTHER_PRACTICE, VALID_NHS, count, referral_body, with_allocation


def _refer(client, token, nhs=VALID_NHS[0]) -> dict:
    answer = client.post("/referrals", json=referral_body(nhs_number=nhs), headers=token())
    assert answer.status_code == 201, answer.text
    return answer.json()


def _manager(token):
    return token("provider_manager", provider_id=str(CHANGING_LIVES))


def _caseload(client, token) -> int:
    workers = client.get("/link-workers", params={"provider_id": str(CHANGING_LIVES)}, headers=_manager(token))
    return sum(w["active_caseload"] for w in workers.json())


def test_a_withdrawn_referral_ends_with_its_reason_and_no_discharge_summary(client, token):
    created = _refer(client, token)
    assert _caseload(client, token) == 1
    answer = client.post(
        f"/referrals/{created['referral_id']}/withdrawal",
        json={"reason": "wrong_patient", "withdrawn_on": "2024-06-04"},
        headers=token(),
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["status"], body["status_since"]) == ("withdrawn", "2024-06-04")
    assert body["withdrawal"] == {"reason": "wrong_patient", "withdrawn_on": "2024-06-04"}
    assert _caseload(client, token) == 0
    assert count(client, "events WHERE event_type = 'ReferralWithdrawn'") == 1
    assert count(client, "events WHERE event_type = 'ReferralClosed'") == 0
    summary = client.get(f"/referrals/{created['referral_id']}/discharge-summary", headers=token())
    assert summary.status_code == 404 and "withdrawn" in summary.json()["detail"]
    listed = client.get("/referrals", params={"status": "withdrawn"}, headers=token("operator")).json()
    assert [i["referral_id"] for i in listed["items"]] == [created["referral_id"]]
    # the patient has no open episode any more: they can be referred again
    assert _refer(client, token)["status"] == "accepted"


def test_withdrawing_frees_the_place_for_the_head_of_the_queue(client, token):
    manager = _manager(token)
    workers = client.get("/link-workers", params={"provider_id": str(CHANGING_LIVES)}, headers=manager).json()
    for i, w in enumerate(workers):
        client.patch(f"/link-workers/{w['link_worker_id']}", json={"capacity": 1 if i == 0 else 0}, headers=manager)
    first = _refer(client, token, VALID_NHS[0])
    waiting = _refer(client, token, VALID_NHS[1])
    assert (first["status"], waiting["status"]) == ("accepted", "accepted")  # the practice is not told which
    assert with_allocation(client, token, waiting)["status"] == "eligible"
    answer = client.post(f"/referrals/{first['referral_id']}/withdrawal", json={"reason": "duplicate"}, headers=manager)
    assert answer.status_code == 200, answer.text
    after = client.get(f"/referrals/{waiting['referral_id']}", headers=token("operator")).json()
    assert (after["status"], after["link_worker_id"]) == ("allocated", workers[0]["link_worker_id"])


def test_withdrawal_refusals_change_nothing(client, token):
    created = _refer(client, token)
    path = f"/referrals/{created['referral_id']}/withdrawal"
    for body, field in [
        ({"reason": "changed_mind"}, "reason"),
        ({}, "reason"),
        ({"reason": "duplicate", "withdrawn_on": "2999-01-01"}, "withdrawn_on"),
        ({"reason": "duplicate", "withdrawn_on": "2015-03-31"}, "withdrawn_on"),  # before the programme
        ({"reason": "duplicate", "note": "x"}, "note"),
    ]:
        answer = client.post(path, json=body, headers=token())
        assert answer.status_code == 422, (body, answer.text)
        assert field in [e["loc"][-1] for e in answer.json()["errors"]], (body, answer.text)
    worker_id = with_allocation(client, token, created)["link_worker_id"]
    worker = token("link_worker", provider_id=str(CHANGING_LIVES), link_worker_id=worker_id)
    for role_token in (worker, token("operator"), token("finance"), token("service")):
        assert client.post(path, json={"reason": "duplicate"}, headers=role_token).status_code == 403
    other = token("referrer", practice=OTHER_PRACTICE)
    assert client.post(path, json={"reason": "duplicate"}, headers=other).status_code == 404
    other_manager = token("provider_manager", provider_id="00000000-0000-0000-0000-000000000001")
    assert client.post(path, json={"reason": "duplicate"}, headers=other_manager).status_code == 404
    before_last_change = client.post(path, json={"reason": "duplicate", "withdrawn_on": "2024-06-02"}, headers=token())
    assert before_last_change.status_code == 409, before_last_change.text
    assert count(client, "events WHERE event_type = 'ReferralWithdrawn'") == 0
    # once withdrawn (or otherwise ended) it cannot be withdrawn again, nor declined
    assert client.post(path, json={"reason": "duplicate"}, headers=token()).status_code == 200
    assert client.post(path, json={"reason": "duplicate"}, headers=token()).status_code == 409
    decline = client.post(f"/referrals/{created['referral_id']}/decline", json={"reason": "other"}, headers=token())
    assert decline.status_code == 409
    declined = _refer(client, token, VALID_NHS[1])
    client.post(f"/referrals/{declined['referral_id']}/decline", json={"reason": "other"}, headers=token())
    again = client.post(f"/referrals/{declined['referral_id']}/withdrawal", json={"reason": "other"}, headers=token())
    assert again.status_code == 409
    assert count(client, "events WHERE event_type = 'ReferralWithdrawn'") == 1


def test_an_ineligible_referral_cannot_be_withdrawn(client, token):
    created = client.post("/referrals", json=referral_body(conditions=[]), headers=token()).json()
    assert created["status"] == "ineligible"
    answer = client.post(f"/referrals/{created['referral_id']}/withdrawal", json={"reason": "other"}, headers=token())
    assert answer.status_code == 409
