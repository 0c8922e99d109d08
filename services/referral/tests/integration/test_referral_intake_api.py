"""POST /referrals and its 4xx answers, on a real database."""

from __future__ import annotations

from referral_testkit import CHANGING_LIVES, OTHER_PRACTICE, PRACTICE, VALID_NHS, count, referral_body, with_allocation

from linkwell_runtime.testing import cursor


def test_eligible_referral_is_stored_assessed_and_allocated_within_the_serving_provider(client, token):
    answer = client.post("/referrals", json=referral_body(), headers=token())
    assert answer.status_code == 201, answer.text
    body = answer.json()
    # the practice is told `accepted`, not who holds it (docs/security.md §3.1)
    assert (body["status"], body["provider_id"], body["link_worker_id"]) == ("accepted", None, None)
    assert body["eligibility"] == {"eligible": True, "reasons": []}
    body = with_allocation(client, token, body)
    assert (body["status"], body["provider_id"]) == ("allocated", str(CHANGING_LIVES))
    workers = client.get("/link-workers", params={"provider_id": str(CHANGING_LIVES)}, headers=token("operator")).json()
    chosen = next(w for w in workers if w["link_worker_id"] == body["link_worker_id"])
    assert chosen["active_caseload"] == 1
    assert chosen["capacity"] == max(w["capacity"] for w in workers)  # all empty: most spare capacity wins


def test_ineligible_referral_is_stored_with_every_failed_criterion(client, token):
    body = referral_body(date_of_birth="1990-01-01", conditions=[], mental_health=["depression"])
    answer = client.post("/referrals", json=body, headers=token())
    assert answer.status_code == 201, answer.text
    assert answer.json()["status"] == "ineligible"
    codes = [r["code"] for r in answer.json()["eligibility"]["reasons"]]
    assert codes == ["age_out_of_range", "no_qualifying_condition"]
    assert answer.json()["link_worker_id"] is None


def test_second_referral_while_the_first_is_open_is_ineligible_for_the_same_patient(client, token):
    first = client.post("/referrals", json=referral_body(), headers=token()).json()
    second = client.post("/referrals", json=referral_body(nhs_number="9434765919"), headers=token()).json()
    assert second["patient_id"] == first["patient_id"]
    assert second["status"] == "ineligible"
    assert [r["code"] for r in second["eligibility"]["reasons"]] == ["open_episode_exists"]


def test_malformed_referral_is_422_with_every_field_and_nothing_is_stored(client, token):
    body = referral_body(
        nhs_number="9434765918",
        date_of_birth="2999-01-01",
        sex="x",
        referrer={"name": "Dr A Khan", "role": "receptionist"},
        conditions=["flu"],
    )
    answer = client.post("/referrals", json=body, headers=token())
    assert answer.status_code == 422
    locs = {tuple(d["loc"]) for d in answer.json()["errors"]}
    assert locs == {
        ("body", "nhs_number"),
        ("body", "date_of_birth"),
        ("body", "sex"),
        ("body", "referrer", "role"),
        ("body", "conditions", 0),
    }
    assert count(client, "referrals") == 0
    assert count(client, "patient_keys") == 0
    assert count(client, "events WHERE aggregate_type = 'referral'") == 0


def test_unknown_practice_code_is_422_on_that_field(client, token):
    answer = client.post("/referrals", json=referral_body(practice_ods_code="Z99999"), headers=token(practice="Z99999"))
    assert answer.status_code == 422
    assert [d["loc"] for d in answer.json()["errors"]] == [["body", "practice_ods_code"]]
    assert count(client, "referrals") == 0


def test_impossible_date_is_422(client, token):
    answer = client.post("/referrals", json=referral_body(date_of_birth="1965-02-30"), headers=token())
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["loc"] == ["body", "date_of_birth"]


def test_missing_or_bad_token_is_401(client):
    assert client.post("/referrals", json=referral_body()).status_code == 401
    assert client.get("/referrals", headers={"Authorization": "Bearer nonsense"}).status_code == 401


def test_only_a_referrer_of_that_practice_may_refer(client, token):
    assert client.post("/referrals", json=referral_body(), headers=token("finance")).status_code == 403
    other = token(practice=OTHER_PRACTICE)
    assert client.post("/referrals", json=referral_body(), headers=other).status_code == 403


def test_same_idempotency_key_replays_the_first_answer_and_stores_once(client, token):
    headers = token() | {"Idempotency-Key": "k-1"}
    first = client.post("/referrals", json=referral_body(), headers=headers)
    again = client.post("/referrals", json=referral_body(), headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert count(client, "referrals") == 1


def test_idempotency_key_reused_with_another_body_is_422(client, token):
    headers = token() | {"Idempotency-Key": "k-2"}
    client.post("/referrals", json=referral_body(), headers=headers)
    answer = client.post("/referrals", json=referral_body(nhs_number=VALID_NHS[1]), headers=headers)
    assert answer.status_code == 422
    assert count(client, "referrals") == 1


def test_events_carry_identifiable_fields_only_encrypted(client, token):
    client.post("/referrals", json=referral_body(), headers=token())
    with cursor(client.app.state.settings.database_url) as cur:
        cur.execute("SELECT convert_from(message, 'UTF8') FROM outbox")
        wire = " ".join(row[0] for row in cur.fetchall())
    for secret in (
        "9434765919",
        "Robson",
        "Joan",
        "1965-03-14",
        "NE4 6QA",
        "01914960000",
        "joan@example.org",
        "husband",
    ):
        assert secret not in wire
    assert PRACTICE in wire


def test_back_entered_referral_is_assessed_and_allocated_on_its_referral_date(client, token):
    answer = client.post("/referrals", json=referral_body(referred_on="2025-03-03"), headers=token())
    assert answer.status_code == 201, answer.text
    referral_id = answer.json()["referral_id"]
    dated = {row[0]: row[1] for row in _payload_dates(client, referral_id)}
    assert dated == {"ReferralAssessed": "2025-03-03", "ReferralAllocated": "2025-03-03"}


def _payload_dates(client, referral_id: str) -> list[tuple]:
    with cursor(client.app.state.settings.database_url) as cur:
        cur.execute(
            "SELECT event_type, coalesce(envelope->'payload'->>'assessed_on', envelope->'payload'->>'allocated_on')"
            " FROM events WHERE aggregate_id = %s AND event_type IN ('ReferralAssessed', 'ReferralAllocated')",
            (referral_id,),
        )
        return cur.fetchall()


def test_the_answer_to_a_referral_is_what_the_read_model_then_holds(client, token):
    """The POST answer comes from the state just stored, not a read back: it must agree with GET."""
    answers = [
        client.post("/referrals", json=body, headers=token()).json()
        for body in (
            referral_body(nhs_number=VALID_NHS[0]),
            referral_body(nhs_number=VALID_NHS[1], date_of_birth="1994-03-14", conditions=[]),
        )
    ]
    assert [a["status"] for a in answers] == ["accepted", "ineligible"]
    for answer in answers:
        shown = client.get(f"/referrals/{answer['referral_id']}", headers=token()).json()
        assert {k: shown[k] for k in answer} == answer
