"""Correcting a patient's details after intake (issue 18, item 1): a wrong phone number, a new address,
a misspelt name. Each correction is a `PatientDetailsCorrected` event carrying only sealed values,
audited, allowed to those who see the patient's identity, and reflected in the read model."""

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

from linkwell_runtime.testing import cursor


def _refer(client, token, nhs=VALID_NHS[0]) -> dict:
    answer = client.post("/referrals", json=referral_body(nhs_number=nhs), headers=token())
    assert answer.status_code == 201, answer.text
    return with_allocation(client, token, answer.json())


def test_the_referrer_corrects_the_phone_and_address_and_every_reader_sees_the_new_values(client, token):
    created = _refer(client, token)
    path = f"/referrals/{created['referral_id']}"
    body = {
        "reason": "entered_wrongly",
        "phone": "0191 496 0999",
        "address": "  12 Elswick Road,\n Newcastle ",
        "postcode": "ne4 6sq",
    }
    answer = client.post(f"{path}/patient-details", json=body, headers=token(sub="dr-khan"))
    assert answer.status_code == 200, answer.text
    assert answer.json()["corrected"] == ["address", "postcode", "phone"]
    assert answer.json()["reason"] == "entered_wrongly"

    worker = token("link_worker", provider_id=str(CHANGING_LIVES), link_worker_id=created["link_worker_id"])
    patient = client.get(path, headers=worker).json()["patient"]
    assert (patient["phone"], patient["address"], patient["postcode"]) == (
        "01914960999",
        "12 Elswick Road, Newcastle",
        "NE4 6SQ",
    )
    assert (patient["given_name"], patient["email"]) == ("Joan", "joan@example.org")  # the rest as it was

    with cursor(client.app.state.settings.database_url) as cur:
        cur.execute("SELECT envelope::text FROM events WHERE event_type = 'PatientDetailsCorrected'")
        [(payload,)] = cur.fetchall()
        cur.execute("SELECT subject, role, action, fields FROM access_audit WHERE action = 'correct_identifiable'")
        assert cur.fetchall() == [("dr-khan", "referrer", "correct_identifiable", ["address", "postcode", "phone"])]
    assert "0999" not in payload and "Elswick" not in payload and "NE4" not in payload  # sealed only
    assert json.loads(payload)["payload"]["corrected"] == ["address", "postcode", "phone"]
    assert count(client, "outbox o JOIN events e USING (event_id) WHERE e.event_type = 'PatientDetailsCorrected'") == 1


def test_the_link_worker_and_manager_may_correct_a_name_others_may_not(client, token):
    created = _refer(client, token)
    path = f"/referrals/{created['referral_id']}/patient-details"
    worker = token("link_worker", provider_id=str(CHANGING_LIVES), link_worker_id=created["link_worker_id"])
    manager = token("provider_manager", provider_id=str(CHANGING_LIVES))
    assert (
        client.post(path, json={"reason": "changed", "family_name": "Robson-Hall"}, headers=worker).status_code == 200
    )
    assert client.post(path, json={"reason": "changed", "given_name": "Joanne"}, headers=manager).status_code == 200
    view = client.get(f"/referrals/{created['referral_id']}", headers=manager).json()["patient"]
    assert (view["given_name"], view["family_name"]) == ("Joanne", "Robson-Hall")

    for role in ("operator", "finance"):
        assert (
            client.post(path, json={"reason": "changed", "phone": "01914960111"}, headers=token(role)).status_code
            == 403
        )
    other = token("referrer", practice=OTHER_PRACTICE)
    assert client.post(path, json={"reason": "changed", "phone": "01914960111"}, headers=other).status_code == 404
    assert client.post(path, json={"reason": "changed", "phone": "01914960111"}).status_code == 401
    assert count(client, "events WHERE event_type = 'PatientDetailsCorrected'") == 2


def test_malformed_corrections_are_422_with_each_field_and_change_nothing(client, token):
    created = _refer(client, token)
    path = f"/referrals/{created['referral_id']}/patient-details"
    bad = client.post(
        path, json={"reason": "changed", "phone": "12", "postcode": "nowhere", "given_name": " "}, headers=token()
    )
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert sorted(e["loc"][-1] for e in bad.json()["errors"]) == ["given_name", "phone", "postcode"]
    for body in (
        {"reason": "changed"},  # nothing to correct
        {"reason": "typo", "phone": "01914960111"},
        {"phone": "01914960111"},
        {"reason": "changed", "nhs_number": "9434765919"},  # not correctable here
        {"reason": "changed", "address": "x" * 301},
    ):
        answer = client.post(path, json=body, headers=token())
        assert answer.status_code == 422, (body, answer.text)
        assert answer.json()["errors"], body
    assert count(client, "events WHERE event_type = 'PatientDetailsCorrected'") == 0
    assert count(client, "access_audit") == 0


def test_a_closed_episode_or_an_erased_patient_cannot_be_corrected(client, token):
    created = _refer(client, token)
    path = f"/referrals/{created['referral_id']}/patient-details"
    client.post(f"/referrals/{created['referral_id']}/decline", json={"reason": "other"}, headers=token())
    assert client.post(path, json={"reason": "changed", "phone": "01914960111"}, headers=token()).status_code == 409

    second = _refer(client, token, VALID_NHS[1])
    patient_id = platform_patient_id(client, token, second["referral_id"])
    client.post(f"/referrals/{second['referral_id']}/decline", json={"reason": "other"}, headers=token())
    erased = client.post(f"/patients/{patient_id}/erasure", headers=token("operator"))
    assert erased.status_code == 200
    second_path = f"/referrals/{second['referral_id']}/patient-details"
    assert (
        client.post(second_path, json={"reason": "changed", "phone": "01914960111"}, headers=token()).status_code == 409
    )
    assert count(client, "events WHERE event_type = 'PatientDetailsCorrected'") == 0


def test_hostile_values_are_refused_per_field_never_a_server_error(client, token):
    created = _refer(client, token)
    path = f"/referrals/{created['referral_id']}"
    bodies = [
        {"reason": "changed", "given_name": "x" * 201},
        {"reason": "changed", "given_name": "y" * 101},
        {"reason": "changed", "email": "a@" + "b" * 300 + ".org"},
        {"reason": "changed", "phone": "０１９１４９６０１１１"},  # full-width digits
        {"reason": "changed", "postcode": "NE4\u00a06QA\u200b"},
        {"reason": "changed", "phone": 1914960111},
        {"reason": ["changed"], "phone": "01914960111"},
        {"reason": "changed", "address": ""},
        [],
    ]
    for body in bodies:
        answer = client.post(f"{path}/patient-details", json=body, headers=token())
        assert answer.status_code == 422, (body, answer.status_code, answer.text)
    for body in ({"practice_ods_code": "A" * 13}, {"practice_ods_code": "A85010", "moved_on": "yesterday"}, {}):
        answer = client.post(f"{path}/practice", json=body, headers=token())
        assert answer.status_code == 422, (body, answer.status_code, answer.text)
    assert count(client, "events WHERE event_type IN ('PatientDetailsCorrected', 'PatientPracticeChanged')") == 0
