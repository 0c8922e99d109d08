"""A patient who moves practice (issue 18, item 1; docs/domain.md §3.5): an allocated case is kept by
its link worker, a waiting referral joins the new practice's provider queue; each move is a
`PatientPracticeChanged` event and the referral follows the new practice in every read."""

from __future__ import annotations

from referral_testkit import CHANGING_LIVES, OTHER_PRACTICE, PRACTICE, VALID_NHS, count, referral_body, with_allocation

from referral.adapters.reference_seed import provider_id

FIRST_CONTACT = provider_id("First Contact Clinical")


def _refer(client, token, nhs=VALID_NHS[0]) -> dict:
    answer = client.post("/referrals", json=referral_body(nhs_number=nhs), headers=token())
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_an_allocated_case_is_kept_by_its_link_worker_and_follows_the_new_practice(client, token):
    created = with_allocation(client, token, _refer(client, token))
    moved = client.post(
        f"/referrals/{created['referral_id']}/practice", json={"practice_ods_code": OTHER_PRACTICE}, headers=token()
    )
    assert moved.status_code == 200, moved.text
    # the referrer who moved it is told it is accepted, not who holds it (docs/security.md §3.1)
    assert (moved.json()["practice_ods_code"], moved.json()["status"], moved.json()["link_worker_id"]) == (
        OTHER_PRACTICE,
        "accepted",
        None,
    )
    kept = client.get(f"/referrals/{created['referral_id']}", headers=token("operator")).json()
    assert (kept["status"], kept["provider_id"], kept["link_worker_id"]) == (
        "allocated",
        str(CHANGING_LIVES),
        created["link_worker_id"],
    )
    # the new practice's referrer sees it now, the old one no longer does
    new_referrer = token("referrer", practice=OTHER_PRACTICE)
    assert client.get(f"/referrals/{created['referral_id']}", headers=new_referrer).status_code == 200
    assert client.get(f"/referrals/{created['referral_id']}", headers=token()).status_code == 404
    listed = client.get("/referrals", params={"practice": OTHER_PRACTICE}, headers=token("operator")).json()
    assert [i["referral_id"] for i in listed["items"]] == [created["referral_id"]]
    # the caseload place stays with the link worker
    manager = token("provider_manager", provider_id=str(CHANGING_LIVES))
    workers = client.get("/link-workers", params={"provider_id": str(CHANGING_LIVES)}, headers=manager).json()
    assert sum(w["active_caseload"] for w in workers) == 1
    assert count(client, "events WHERE event_type = 'PatientPracticeChanged'") == 1


def test_a_waiting_referral_joins_the_new_practices_provider_queue_and_is_allocated_there(client, token):
    manager = token("provider_manager", provider_id=str(CHANGING_LIVES))
    for w in client.get("/link-workers", params={"provider_id": str(CHANGING_LIVES)}, headers=manager).json():
        client.patch(f"/link-workers/{w['link_worker_id']}", json={"capacity": 0}, headers=manager)
    waiting = _refer(client, token)
    assert with_allocation(client, token, waiting)["status"] == "eligible"

    moved = client.post(
        f"/referrals/{waiting['referral_id']}/practice",
        json={"practice_ods_code": OTHER_PRACTICE.lower()},
        headers=manager,
    )
    assert moved.status_code == 200, moved.text
    after = client.get(f"/referrals/{waiting['referral_id']}", headers=token("operator")).json()
    assert (after["status"], after["provider_id"], after["practice_ods_code"]) == (
        "allocated",
        str(FIRST_CONTACT),
        OTHER_PRACTICE,
    )


def test_bad_moves_are_refused_and_change_nothing(client, token):
    created = _refer(client, token)
    path = f"/referrals/{created['referral_id']}/practice"
    cases = [
        ({"practice_ods_code": PRACTICE}, 422, "practice_ods_code"),  # already there
        ({"practice_ods_code": "Z99999"}, 422, "practice_ods_code"),  # unknown
        ({"practice_ods_code": "a-1"}, 422, "practice_ods_code"),
        ({"practice_ods_code": OTHER_PRACTICE, "moved_on": "2999-01-01"}, 422, "moved_on"),
        ({"practice_ods_code": OTHER_PRACTICE, "moved_on": "2024-06-02"}, 422, "moved_on"),  # before the referral
        ({"practice_ods_code": OTHER_PRACTICE, "extra": 1}, 422, "extra"),
    ]
    for body, status, field in cases:
        answer = client.post(path, json=body, headers=token())
        assert answer.status_code == status, (body, answer.text)
        assert field in [e["loc"][-1] for e in answer.json()["errors"]], (body, answer.text)
    operator = token("operator")
    client.patch(f"/practices/{OTHER_PRACTICE}", json={"participating": False}, headers=operator)
    assert client.post(path, json={"practice_ods_code": OTHER_PRACTICE}, headers=token()).status_code == 409
    assert client.post(path, json={"practice_ods_code": OTHER_PRACTICE}, headers=operator).status_code == 403
    other_referrer = token("referrer", practice=OTHER_PRACTICE)
    assert client.post(path, json={"practice_ods_code": "A85002"}, headers=other_referrer).status_code == 404
    client.post(f"/referrals/{created['referral_id']}/decline", json={"reason": "other"}, headers=token())
    assert client.post(path, json={"practice_ods_code": "A85002"}, headers=token()).status_code == 409
    assert count(client, "events WHERE event_type = 'PatientPracticeChanged'") == 0
