"""A participating practice that no provider serves yet (provider_id null: reference data allows it).
Its eligible referrals wait, unallocated, in a queue operators can list, and are allocated when the
practice is given a provider (issue 18, item 8)."""

from __future__ import annotations

import uuid

from referral_testkit import CHANGING_LIVES, VALID_NHS, count, referral_body

UNSERVED = "A85020"


def _unserved_practice(client, operator) -> None:
    practice = {"ods_code": UNSERVED, "name": "Fenham Hall Surgery", "participating": True, "provider_id": None}
    assert client.post("/practices", json=practice, headers=operator).status_code == 201


def test_an_eligible_referral_from_a_practice_no_provider_serves_waits_and_is_allocated_when_one_is_assigned(
    client, token
):
    operator = token("operator")
    _unserved_practice(client, operator)
    referrer = token("referrer", practice=UNSERVED)

    answer = client.post("/referrals", json=referral_body(practice_ods_code=UNSERVED), headers=referrer)
    assert answer.status_code == 201, answer.text
    created = answer.json()
    assert (created["status"], created["provider_id"], created["link_worker_id"]) == ("accepted", None, None)
    assert created["eligibility"]["eligible"] is True

    waiting = client.get("/referrals/unserved", headers=operator)
    assert waiting.status_code == 200, waiting.text
    assert [(i["referral_id"], i["practice_ods_code"]) for i in waiting.json()["items"]] == [
        (created["referral_id"], UNSERVED)
    ]
    assert waiting.json()["total"] == 1

    assigned = client.patch(f"/practices/{UNSERVED}", json={"provider_id": str(CHANGING_LIVES)}, headers=operator)
    assert assigned.status_code == 200, assigned.text
    manager = token("provider_manager", provider_id=str(CHANGING_LIVES))
    after = client.get(f"/referrals/{created['referral_id']}", headers=manager).json()
    assert (after["status"], after["provider_id"]) == ("allocated", str(CHANGING_LIVES))
    assert after["link_worker_id"] is not None
    assert client.get("/referrals/unserved", headers=operator).json()["items"] == []
    assert count(client, "events WHERE event_type = 'ReferralAllocated'") == 1


def test_the_unserved_queue_is_oldest_first_and_only_for_operators_and_finance(client, token):
    operator = token("operator")
    _unserved_practice(client, operator)
    referrer = token("referrer", practice=UNSERVED)
    ids = [
        client.post(
            "/referrals", json=referral_body(practice_ods_code=UNSERVED, nhs_number=n), headers=referrer
        ).json()["referral_id"]
        for n in VALID_NHS[:2]
    ]
    served = client.post("/referrals", json=referral_body(nhs_number=VALID_NHS[2]), headers=token()).json()
    assert served["status"] == "accepted"

    page = client.get("/referrals/unserved", headers=operator).json()
    assert [i["referral_id"] for i in page["items"]] == ids
    assert all(set(i) >= {"referral_id", "practice_ods_code", "received_at", "status"} for i in page["items"])
    assert not any("nhs_number" in i or "given_name" in i for i in page["items"])
    assert client.get("/referrals/unserved", params={"page_size": 1, "page": 2}, headers=operator).json()["items"] == [
        page["items"][1]
    ]
    assert client.get("/referrals/unserved", headers=token("finance")).status_code == 403
    assert client.get("/referrals/unserved", headers=token("service")).status_code == 403
    assert client.get("/referrals/unserved").status_code == 401
    assert client.get("/referrals/unserved", headers=token("referrer", practice=UNSERVED)).status_code == 403
    manager = token("provider_manager", provider_id=str(uuid.uuid4()))
    assert client.get("/referrals/unserved", headers=manager).status_code == 403
    assert client.get("/referrals/unserved", params={"page_size": 0}, headers=operator).status_code == 422
