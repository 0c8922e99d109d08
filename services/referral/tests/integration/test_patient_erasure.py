"""The right to erasure: an operator shreds a patient's key; their identity is unreadable everywhere,
other services are told, the episode's facts stay, and a repeat request changes nothing."""

from __future__ import annotations

import uuid

from referral_testkit import VALID_NHS, count, platform_patient_id, referral_body, with_allocation

from contracts.codec import decode
from linkwell_runtime.testing import cursor


def _closed(client, token, created: dict) -> None:
    """An episode ends before its patient is erased (declined here)."""
    answer = client.post(f"/referrals/{created['referral_id']}/decline", json={"reason": "other"}, headers=token())
    assert answer.status_code == 200, answer.text


def test_a_patient_with_an_open_episode_is_not_erased_until_it_is_closed(client, token):
    created = client.post("/referrals", json=referral_body(nhs_number=VALID_NHS[3]), headers=token()).json()
    patient_id = platform_patient_id(client, token, created["referral_id"])

    refused = client.post(f"/patients/{patient_id}/erasure", headers=token("operator"))

    assert refused.status_code == 409 and "open referral" in refused.json()["detail"]
    assert client.get(f"/referrals/{created['referral_id']}", headers=token()).json()["patient"]["erased"] is False
    assert count(client, "events WHERE event_type = 'PatientErased'") == 0
    _closed(client, token, created)
    assert client.post(f"/patients/{patient_id}/erasure", headers=token("operator")).status_code == 200


def test_erasure_shreds_the_key_announces_it_and_keeps_the_episode(client, token):
    created = client.post("/referrals", json=referral_body(nhs_number=VALID_NHS[0]), headers=token()).json()
    _closed(client, token, created)
    created["patient_id"] = platform_patient_id(client, token, created["referral_id"])
    before = client.get(f"/referrals/{created['referral_id']}", headers=token()).json()
    assert before["patient"]["given_name"] == "Joan" and before["patient"]["erased"] is False

    erased = client.post(f"/patients/{created['patient_id']}/erasure", headers=token("operator"))
    assert erased.status_code == 200, erased.text
    assert erased.json()["already_erased"] is False

    after = client.get(f"/referrals/{created['referral_id']}", headers=token()).json()
    assert after["patient"] == {"erased": True}
    assert (after["status"], after["link_worker_id"]) == (before["status"], before["link_worker_id"])  # kept
    with cursor(client.app.state.settings.database_url) as cur:
        cur.execute("SELECT data_key, shredded_at FROM patient_keys WHERE patient_id = %s", (created["patient_id"],))
        key, shredded_at = cur.fetchone()
        assert key is None and shredded_at is not None
        cur.execute(
            "SELECT o.message FROM outbox o JOIN events e USING (event_id) WHERE e.event_type = 'PatientErased'"
        )
        (message,) = [bytes(r[0]) for r in cur.fetchall()]
        cur.execute("SELECT subject, action FROM access_audit WHERE action = 'erase'")
        assert cur.fetchall() == [("operator-1", "erase")]
    envelope, payload = decode(message)
    assert (envelope.aggregate_type, str(payload.patient_id)) == ("patient", created["patient_id"])

    again = client.post(f"/patients/{created['patient_id']}/erasure", headers=token("operator")).json()
    assert again["already_erased"] is True and again["erased_at"] == erased.json()["erased_at"]
    assert count(client, "events WHERE event_type = 'PatientErased'") == 1
    with cursor(client.app.state.settings.database_url) as cur:  # the pseudonym is forgotten everywhere
        cur.execute("SELECT nhs_number_pseudonym FROM patient_keys WHERE patient_id = %s", (created["patient_id"],))
        assert cur.fetchone() == (None,)
        cur.execute(
            "SELECT sealed ? 'nhs_number_pseudonym' FROM referrals WHERE patient_id = %s", (created["patient_id"],)
        )
        assert cur.fetchone() == (False,)


def test_a_person_referred_again_after_erasure_is_a_new_patient_and_the_practice_is_told_nothing(client, token):
    first = client.post("/referrals", json=referral_body(nhs_number=VALID_NHS[2]), headers=token()).json()
    old_patient = platform_patient_id(client, token, first["referral_id"])
    _closed(client, token, first)
    assert client.post(f"/patients/{old_patient}/erasure", headers=token("operator")).status_code == 200

    again = client.post("/referrals", json=referral_body(nhs_number=VALID_NHS[2]), headers=token())

    # not 409 "erased": a referral like any first one, under a new patient and a new key
    assert again.status_code == 201, again.text
    assert again.json()["status"] == "accepted" and again.json()["eligibility"]["reasons"] == []
    new_patient = platform_patient_id(client, token, again.json()["referral_id"])
    assert new_patient != old_patient
    view = client.get(f"/referrals/{again.json()['referral_id']}", headers=token()).json()
    assert view["patient"]["given_name"] == "Joan" and view["episode"] == {"number": 1, "previous": None}
    assert client.get(f"/referrals/{first['referral_id']}", headers=token()).json()["patient"] == {"erased": True}


def test_only_an_operator_may_erase_and_an_unknown_patient_is_404(client, token):
    created = client.post("/referrals", json=referral_body(nhs_number=VALID_NHS[1]), headers=token()).json()
    created = with_allocation(client, token, created)
    for headers in (token(), token("finance"), token("provider_manager", provider_id=created["provider_id"])):
        assert client.post(f"/patients/{created['patient_id']}/erasure", headers=headers).status_code == 403
    assert client.post(f"/patients/{created['patient_id']}/erasure").status_code == 401
    assert client.post(f"/patients/{uuid.uuid4()}/erasure", headers=token("operator")).status_code == 404
    bad = client.post("/patients/not-a-uuid/erasure", headers=token("operator"))
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"][-1] == "patient_id"
    assert count(client, "events WHERE event_type = 'PatientErased'") == 0
