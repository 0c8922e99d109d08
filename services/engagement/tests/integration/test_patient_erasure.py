"""`PatientErased` deletes the free text kept for the patient's cases, and nobody else's; the case's
events (no identifiable data) and what is folded from them stay."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from engagement_testkit import consume, contact_body, erasure_envelope

from contracts.codec import encode
from contracts.referral import PatientErased
from linkwell_runtime.testing import query


def test_erasure_deletes_the_patients_case_texts_only(client, token, open_case, settings):
    erased_patient = uuid.uuid4()
    erased_case, other_case = open_case(patient_id=erased_patient), open_case()
    for case_id in (erased_case, other_case):
        assert client.post(f"/cases/{case_id}/contacts", json=contact_body(), headers=token()).status_code == 201
        goal = client.post(
            f"/cases/{case_id}/goals",
            headers=token(),
            json={
                "description": "Walk to my sister's in Fenham",
                "star_areas": ["lifestyle"],
                "agreed_on": "2024-06-05",
            },
        )
        assert goal.status_code == 201, goal.text
    events_before = query(settings.database_url, "SELECT count(*) FROM events")[0][0]

    erased = erasure_envelope(erased_patient)
    consume(settings, [erased, erased])  # redelivered: nothing more to delete

    texts = {
        r[0]: r[1] for r in query(settings.database_url, "SELECT case_id, count(*) FROM case_texts GROUP BY case_id")
    }
    assert texts == {other_case: 1}
    view = client.get(f"/cases/{erased_case}", headers=token()).json()
    assert [(g["description"], g["agreed_on"]) for g in view["goals"]] == [(None, "2024-06-05")]
    assert len(view["contacts"]) == 1
    assert query(settings.database_url, "SELECT count(*) FROM events")[0][0] == events_before
    kept = client.get(f"/cases/{other_case}", headers=token()).json()
    assert [g["description"] for g in kept["goals"]] == ["Walk to my sister's in Fenham"]


def test_text_typed_into_an_erased_patients_case_afterwards_is_not_kept(client, token, open_case, settings):
    erased_patient = uuid.uuid4()
    case_id = open_case(patient_id=erased_patient)
    assert client.post(f"/cases/{case_id}/contacts", json=contact_body(), headers=token()).status_code == 201
    now = datetime.now(UTC)
    consume(
        settings,
        [
            encode(
                PatientErased(patient_id=erased_patient, erased_at=now),
                aggregate_id=str(erased_patient),
                aggregate_version=1,
                occurred_at=now,
                recorded_at=now,
                producer="referral",
            )
        ],
    )
    goal = client.post(
        f"/cases/{case_id}/goals",
        headers=token(),
        json={
            "description": "Call my daughter Priya every Sunday",
            "star_areas": ["family_and_friends"],
            "agreed_on": "2024-06-05",
        },
    )
    assert goal.status_code == 201, goal.text
    assert query(settings.database_url, "SELECT count(*) FROM case_texts") == [(0,)]
    assert query(settings.database_url, "SELECT count(*) FROM events WHERE event_type = 'GoalAgreed'") == [(1,)]


def test_erasure_deletes_concern_words_step_wording_and_accessibility_notes_but_keeps_their_codes(
    client, token, open_case, settings
):
    patient = uuid.uuid4()
    case_id = open_case(patient_id=patient)
    holder = token()
    assert client.post(f"/cases/{case_id}/contacts", json=contact_body(), headers=holder).status_code == 201
    goal_id = client.post(
        f"/cases/{case_id}/goals",
        headers=holder,
        json={"description": "Walk more", "star_areas": ["lifestyle"], "agreed_on": "2024-06-05"},
    ).json()["goal_id"]
    steps = f"/cases/{case_id}/goals/{goal_id}/steps"
    assert (
        client.post(
            steps, json={"description": "Ring Ann", "due_on": "2024-07-01", "added_on": "2024-06-05"}, headers=holder
        ).status_code
        == 201
    )
    concern = {"category": "neglect", "risk_level": "medium", "description": "No food in the house"}
    assert client.post(f"/cases/{case_id}/safeguarding-concerns", json=concern, headers=holder).status_code == 201
    prefs = {"accessibility_needs": ["other"], "accessibility_note": "Ground floor at 4 Elm Road"}
    assert client.put(f"/cases/{case_id}/preferences", json=prefs, headers=holder).status_code == 200
    erased = erasure_envelope(patient)
    consume(settings, [erased])
    assert query(settings.database_url, "SELECT count(*) FROM case_texts") == [(0,)]
    view = client.get(f"/cases/{case_id}", headers=holder).json()
    [concern_view] = view["safeguarding_concerns"]
    assert (concern_view["category"], concern_view["description"]) == ("neglect", None)
    assert view["goals"][0]["steps"][0]["description"] is None
    assert view["preferences"][0]["accessibility_needs"] == ["other"]
    assert view["preferences"][0]["accessibility_note"] is None
    again = client.post(f"/cases/{case_id}/safeguarding-concerns", json=concern, headers=holder)
    assert again.status_code == 201  # recorded as usual, its words not kept
    assert query(settings.database_url, "SELECT count(*) FROM case_texts") == [(0,)]
