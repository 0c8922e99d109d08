"""`Idempotency-Key` (docs/architecture.md §4.4, docs/security.md): an answer is replayed only to the
same caller, with the same role and scope, for the same route and body, and only after the caller's
access has been checked again; a refusal never echoes the key."""

from __future__ import annotations

from referral_testkit import OTHER_PRACTICE, PRACTICE, VALID_NHS, count, referral_body, with_allocation

KEY = "retry-7f3c-Joan-Robson"  # a client may put anything in a key: it must never come back


def test_the_same_caller_key_and_body_replay_the_first_answer_once(client, token):
    headers = token(sub="dr-khan") | {"Idempotency-Key": KEY}
    first = client.post("/referrals", json=referral_body(), headers=headers)
    again = client.post("/referrals", json=referral_body(), headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert count(client, "referrals") == 1


def test_another_body_or_another_route_with_the_key_is_refused_without_echoing_it(client, token):
    headers = token(sub="dr-khan") | {"Idempotency-Key": KEY}
    created = client.post("/referrals", json=referral_body(), headers=headers).json()
    other_body = client.post("/referrals", json=referral_body(nhs_number=VALID_NHS[1]), headers=headers)
    assert other_body.status_code == 422
    assert other_body.json()["errors"][0]["loc"] == ["header", "Idempotency-Key"]
    other_route = client.post(f"/referrals/{created['referral_id']}/decline", json={"reason": "other"}, headers=headers)
    assert other_route.status_code == 422
    for answer in (other_body, other_route):
        assert KEY not in answer.text and "Joan" not in answer.text
    assert count(client, "referrals") == 1
    assert client.get(f"/referrals/{created['referral_id']}", headers=token("operator")).json()["status"] == "allocated"


def test_a_stored_answer_is_not_replayed_to_the_same_person_in_another_scope(client, token):
    client.post("/referrals", json=referral_body(), headers=token(sub="dr-khan") | {"Idempotency-Key": KEY})
    elsewhere = token(sub="dr-khan", practice=OTHER_PRACTICE) | {"Idempotency-Key": KEY}
    refused = client.post("/referrals", json=referral_body(), headers=elsewhere)
    assert refused.status_code == 403  # access is checked before any replay
    moved = client.post("/referrals", json=referral_body(practice_ods_code=OTHER_PRACTICE), headers=elsewhere)
    assert moved.status_code == 422  # same person and key, another scope and body: never the stored answer
    assert KEY not in moved.text
    assert count(client, "referrals") == 1


def test_a_key_is_per_caller_so_another_caller_never_gets_the_first_answer(client, token):
    mine = client.post("/referrals", json=referral_body(), headers=token(sub="dr-khan") | {"Idempotency-Key": KEY})
    body = referral_body(nhs_number=VALID_NHS[1])
    theirs = client.post(
        "/referrals", json=body, headers=token(sub="nurse-lee", practice=PRACTICE) | {"Idempotency-Key": KEY}
    )
    assert theirs.status_code == 201 and theirs.json()["referral_id"] != mine.json()["referral_id"]
    assert count(client, "referrals") == 2


def test_a_replay_after_the_caller_lost_access_is_refused(client, token):
    created = with_allocation(client, token, client.post("/referrals", json=referral_body(), headers=token()).json())
    worker = token("link_worker", provider_id=created["provider_id"], link_worker_id=created["link_worker_id"])
    declined = client.post(
        f"/referrals/{created['referral_id']}/decline",
        json={"reason": "other"},
        headers=worker | {"Idempotency-Key": KEY},
    )
    assert declined.status_code == 200
    moved_worker = token("link_worker", provider_id=created["provider_id"], link_worker_id=created["provider_id"])
    replay = client.post(
        f"/referrals/{created['referral_id']}/decline",
        json={"reason": "other"},
        headers=moved_worker | {"Idempotency-Key": KEY},
    )
    assert replay.status_code == 404  # another worker (the same `sub`): not theirs, so no stored answer
