"""Reference data: the seed, authenticated changes that emit events, and the allocation queue."""

from __future__ import annotations

import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from referral_testkit import CHANGING_LIVES, VALID_NHS, count, referral_body

from contracts.nhs_number import check_digit


def test_seed_has_17_practices_4_providers_and_40_link_workers_each_practice_served(client, token):
    practices = client.get("/practices", headers=token()).json()
    providers = client.get("/providers", headers=token()).json()
    workers = client.get("/link-workers", headers=token("operator")).json()
    assert (len(practices), len(providers), len(workers)) == (17, 4, 40)
    assert {p["name"] for p in providers} == {
        "Changing Lives",
        "Mental Health Concern",
        "First Contact Clinical",
        "HealthWORKS",
    }
    assert all(4 <= len(p["practices"]) <= 5 for p in providers)
    assert all(p["participating"] and p["provider_id"] for p in practices)
    assert all(40 <= w["capacity"] <= 60 for w in workers)


def test_reference_reads_need_a_token_and_changes_need_the_right_role(client, token):
    assert client.get("/practices").status_code == 401
    assert client.post("/providers", json={"name": "New Org"}, headers=token()).status_code == 403
    other = token("provider_manager", provider_id=str(uuid.uuid4()))
    worker = {"provider_id": str(CHANGING_LIVES), "display_name": "Ann Lee", "capacity": 45}
    assert client.post("/link-workers", json=worker, headers=other).status_code == 403


def test_reference_changes_emit_events_and_bad_input_is_4xx(client, token):
    operator = token("operator")
    provider = client.post("/providers", json={"name": "Age UK Newcastle"}, headers=operator)
    assert provider.status_code == 201
    practice = {"ods_code": "A85018", "name": "Jesmond Dene Surgery", "provider_id": provider.json()["provider_id"]}
    assert client.post("/practices", json=practice, headers=operator).status_code == 201
    assert client.post("/practices", json=practice, headers=operator).status_code == 409
    assert client.post("/practices", json=practice | {"ods_code": "a-1"}, headers=operator).status_code == 422
    assert (
        client.post(
            "/practices", json=practice | {"ods_code": "A85019", "provider_id": str(uuid.uuid4())}, headers=operator
        ).status_code
        == 422
    )
    assert client.patch("/practices/Z00000", json={"participating": False}, headers=operator).status_code == 404
    changed = client.patch("/practices/A85018", json={"participating": False}, headers=operator)
    assert changed.json()["participating"] is False
    assert client.patch(f"/link-workers/{uuid.uuid4()}", json={"capacity": 5}, headers=operator).status_code == 404
    assert (
        count(
            client,
            "events WHERE event_type IN ('ProviderRegistered', 'PracticeRegistered',"
            " 'PracticeUpdated') AND aggregate_id IN ('A85018')",
        )
        == 2
    )
    assert count(client, "outbox") == count(client, "events")


def test_eligible_referral_waits_in_the_queue_until_capacity_is_raised(client, token):
    manager = token("provider_manager", provider_id=str(CHANGING_LIVES))
    workers = client.get("/link-workers", params={"provider_id": str(CHANGING_LIVES)}, headers=manager).json()
    for w in workers:  # nobody has room
        assert (
            client.patch(f"/link-workers/{w['link_worker_id']}", json={"capacity": 0}, headers=manager).status_code
            == 200
        )
    first = client.post("/referrals", json=referral_body(nhs_number=VALID_NHS[0]), headers=token()).json()
    second = client.post("/referrals", json=referral_body(nhs_number=VALID_NHS[1]), headers=token()).json()
    assert (first["status"], second["status"]) == ("accepted", "accepted")
    queue = client.get("/referrals", params={"status": "eligible"}, headers=manager).json()
    assert [i["referral_id"] for i in queue["items"]] == [first["referral_id"], second["referral_id"]]

    raised = client.patch(f"/link-workers/{workers[3]['link_worker_id']}", json={"capacity": 1}, headers=manager)
    assert raised.json()["active_caseload"] == 1
    head = client.get(f"/referrals/{first['referral_id']}", headers=manager).json()
    assert (head["status"], head["link_worker_id"]) == ("allocated", workers[3]["link_worker_id"])
    assert client.get(f"/referrals/{second['referral_id']}", headers=manager).json()["status"] == "eligible"

    client.post(f"/referrals/{first['referral_id']}/decline", json={"reason": "other"}, headers=manager)
    assert client.get(f"/referrals/{second['referral_id']}", headers=manager).json()["status"] == "allocated"


def valid_nhs_numbers(count_: int) -> list[str]:
    """Test-range NHS numbers (999...) with a correct modulus-11 check digit."""
    found = []
    for n in range(999_000_000, 999_999_999):
        check = check_digit(str(n))
        if check is not None:
            found.append(f"{n}{check}")
        if len(found) == count_:
            return found
    raise AssertionError("not enough test numbers")


def test_concurrent_referrals_to_one_provider_take_turns_behind_the_waiting_list_and_never_overfill(client, token):
    manager = token("provider_manager", provider_id=str(CHANGING_LIVES))
    workers = client.get("/link-workers", params={"provider_id": str(CHANGING_LIVES)}, headers=manager).json()
    for w in workers:
        client.patch(f"/link-workers/{w['link_worker_id']}", json={"capacity": 0}, headers=manager)
    waiting = client.post("/referrals", json=referral_body(nhs_number=VALID_NHS[0]), headers=token()).json()
    assert client.get(f"/referrals/{waiting['referral_id']}", headers=manager).json()["status"] == "eligible"
    client.patch(f"/link-workers/{workers[0]['link_worker_id']}", json={"capacity": 4}, headers=manager)

    with ThreadPoolExecutor(max_workers=8) as pool:  # 8 at once for the 3 places left
        answers = list(
            pool.map(
                lambda nhs: client.post("/referrals", json=referral_body(nhs_number=nhs), headers=token()),
                valid_nhs_numbers(8),
            )
        )
    assert [a.status_code for a in answers] == [201] * 8, [a.text for a in answers if a.status_code != 201]
    assert {a.json()["status"] for a in answers} == {"accepted"}  # the practice is not told which
    ids = [a.json()["referral_id"] for a in answers]
    statuses = Counter(client.get(f"/referrals/{i}", headers=manager).json()["status"] for i in ids)
    assert statuses == {"allocated": 3, "eligible": 5}
    assert client.get(f"/referrals/{waiting['referral_id']}", headers=manager).json()["status"] == "allocated"
    loads = client.get("/link-workers", params={"provider_id": str(CHANGING_LIVES)}, headers=manager).json()
    assert [w["active_caseload"] for w in loads if w["link_worker_id"] == workers[0]["link_worker_id"]] == [4]


def test_a_capacity_change_sent_twice_with_its_idempotency_key_is_stored_once(client, token):
    manager = token("provider_manager", provider_id=str(CHANGING_LIVES))
    worker = client.get("/link-workers", params={"provider_id": str(CHANGING_LIVES)}, headers=manager).json()[0]
    path = f"/link-workers/{worker['link_worker_id']}"
    updates = f"events WHERE event_type = 'LinkWorkerUpdated' AND aggregate_id = '{worker['link_worker_id']}'"
    before = count(client, updates)
    sent = manager | {"Idempotency-Key": "capacity-form-1"}
    first = client.patch(path, json={"capacity": 7}, headers=sent)
    again = client.patch(path, json={"capacity": 7}, headers=sent)
    assert (first.status_code, again.status_code) == (200, 200)
    assert first.json() == again.json() and first.json()["capacity"] == 7
    assert count(client, updates) == before + 1
    assert client.patch(path, json={"capacity": 8}, headers=sent).status_code == 422  # the key, another body
    other = token("provider_manager", provider_id=str(uuid.uuid4()))
    # another provider's manager: as an unknown worker (docs/security.md §3.1), the key replays nothing
    assert client.patch(path, json={"capacity": 9}, headers=other | {"Idempotency-Key": "x"}).status_code == 404
    assert (
        client.get("/link-workers", params={"provider_id": str(CHANGING_LIVES)}, headers=manager).json()[0]["capacity"]
        == 7
    )
