"""Consent and preferences over HTTP: each change a new event (history kept), written by the holding
link worker or the provider's managers, what consent to the service refuses, the accessibility note
kept in the database only (never on the outbox), shown to the holder and managers and audited, and
every 4xx changing nothing."""

from __future__ import annotations

import uuid

import pytest
from engagement_testkit import COLLEAGUE, OTHER_PROVIDER, STRANGER, contact_body

from linkwell_runtime.testing import query

NOTE = "Uses a walking frame; flat 3 has no lift"


def events(settings, event_type: str) -> list:
    return query(
        settings.database_url,
        "SELECT envelope::text FROM events WHERE event_type = %s ORDER BY aggregate_version",
        (event_type,),
    )


def outbox_text(settings) -> str:
    return " ".join(r[0] for r in query(settings.database_url, "SELECT convert_from(message, 'UTF8') FROM outbox"))


def consent(client, case_id, headers, state, on, kind="service"):
    return client.post(f"/cases/{case_id}/consents", json={"consent": kind, "state": state, "on": on}, headers=headers)


def test_consent_withdrawn_then_given_again_is_kept_as_history_and_refuses_work_in_between(client, token, open_case):
    case_id = open_case()
    holder = token()
    assert consent(client, case_id, holder, "given", "2024-06-05").status_code == 201
    answer = consent(client, case_id, token("provider_manager"), "withdrawn", "2024-06-10")
    assert answer.status_code == 201, answer.text
    assert answer.json() == {"case_id": str(case_id), "consent": "service", "state": "withdrawn", "on": "2024-06-10"}
    refused = client.post(
        f"/cases/{case_id}/contacts", json=contact_body(occurred_at="2024-06-11T10:00:00+01:00"), headers=holder
    )
    assert refused.status_code == 409
    assert "withdrawn on 2024-06-10" in refused.json()["detail"]
    assert consent(client, case_id, holder, "given", "2024-06-12").status_code == 201
    assert (
        client.post(
            f"/cases/{case_id}/contacts", json=contact_body(occurred_at="2024-06-12T10:00:00+01:00"), headers=holder
        ).status_code
        == 201
    )
    view = client.get(f"/cases/{case_id}", headers=holder).json()
    assert view["consent"]["service"] == {"state": "given", "on": "2024-06-12"}
    assert [(c["state"], c["on"]) for c in view["consent"]["history"]] == [
        ("given", "2024-06-05"),
        ("withdrawn", "2024-06-10"),
        ("given", "2024-06-12"),
    ]
    assert view["consent"]["shares_outcomes_with_gp"] is False
    [row] = client.get("/cases", headers=holder).json()["items"]
    assert row["service_consent"] == "given"


def test_consent_to_share_outcomes_is_exposed_for_the_discharge_summary(client, token, open_case):
    case_id = open_case()
    assert consent(client, case_id, token(), "given", "2024-06-05", kind="share_outcomes_with_gp").status_code == 201
    view = client.get(f"/cases/{case_id}", headers=token("service")).json()
    assert view["consent"]["shares_outcomes_with_gp"] is True
    assert view["consent"]["share_outcomes_with_gp"] == {"state": "given", "on": "2024-06-05"}
    [row] = client.get("/cases", headers=token("service")).json()["items"]
    assert row["outcome_sharing_consent"] == "given"


def test_preferences_keep_every_set_and_the_note_stays_out_of_the_events_and_outbox(client, token, open_case, settings):
    case_id = open_case()
    body = {
        "contact_modes": ["phone", "letter"],
        "contact_times": ["weekday_morning"],
        "language": "PL",
        "interpreter_needed": True,
        "accessibility_needs": ["step_free_access", "other"],
        "accessibility_note": NOTE,
        "recorded_on": "2024-06-05",
    }
    answer = client.put(f"/cases/{case_id}/preferences", json=body, headers=token())
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"case_id": str(case_id), "recorded_on": "2024-06-05"}
    second = client.put(
        f"/cases/{case_id}/preferences",
        json={"contact_modes": ["text"], "language": "bfi", "interpreter_needed": True},
        headers=token("provider_manager"),
    )
    assert second.status_code == 200, second.text
    assert NOTE not in " ".join(r[0] for r in events(settings, "PreferencesRecorded"))
    assert NOTE not in outbox_text(settings) and "has_accessibility_note" in outbox_text(settings)
    view = client.get(f"/cases/{case_id}", headers=token())
    first, latest = view.json()["preferences"]
    assert (first["language"], first["accessibility_note"], latest["language"]) == ("pl", NOTE, "bfi")
    assert latest["accessibility_note"] is None and latest["recorded_on"] == "2024-09-02"
    audited = query(settings.database_url, "SELECT fields FROM access_audit")
    assert audited == [(["accessibility_note"],)]
    machine = client.get(f"/cases/{case_id}", headers=token("service"))
    assert NOTE not in machine.text and machine.json()["preferences"][0]["language"] == "pl"


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"consent": "texts", "state": "given"}, ["body", "consent"]),
        ({"consent": "service", "state": "maybe"}, ["body", "state"]),
        ({"consent": "service", "state": "given", "on": "2030-01-01"}, ["body", "on"]),
        ({"consent": "service", "state": "given", "on": "2024-06-02"}, ["body", "on"]),  # before the case opened
        ({"consent": "service"}, ["body", "state"]),
        ({"consent": "service", "state": "given", "extra": 1}, ["body", "extra"]),
    ],
)
def test_bad_consent_is_422_naming_the_field_and_changes_nothing(client, token, open_case, settings, body, loc):
    case_id = open_case()
    answer = client.post(f"/cases/{case_id}/consents", json=body, headers=token())
    assert answer.status_code == 422
    assert loc in [e["loc"] for e in answer.json()["errors"]]
    assert events(settings, "ConsentRecorded") == []


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"contact_modes": ["pigeon"]}, ["body", "contact_modes", 0]),
        ({"language": "xx"}, ["body", "language"]),
        ({"language": "english"}, ["body", "language"]),
        ({"interpreter_needed": True}, ["body", "language"]),
        ({"interpreter_needed": "yes"}, ["body", "interpreter_needed"]),
        ({"accessibility_needs": ["other"]}, ["body", "accessibility_note"]),
        ({"accessibility_note": "x" * 2001}, ["body", "accessibility_note"]),
    ],
)
def test_bad_preferences_are_422_naming_the_field_and_change_nothing(client, token, open_case, settings, body, loc):
    case_id = open_case()
    answer = client.put(f"/cases/{case_id}/preferences", json=body, headers=token())
    assert answer.status_code == 422
    assert loc in [e["loc"] for e in answer.json()["errors"]], answer.json()
    assert events(settings, "PreferencesRecorded") == []


def test_a_consent_that_cannot_follow_the_last_is_409(client, token, open_case):
    case_id = open_case()
    refused = consent(client, case_id, token(), "withdrawn", "2024-06-05")
    assert refused.status_code == 409 and "never given" in refused.json()["detail"]


def test_other_roles_and_organisations_cannot_record_consent_or_preferences(client, token, open_case, settings):
    case_id = open_case()
    theirs = open_case(worker=STRANGER, provider=OTHER_PROVIDER)
    for role in ("referrer", "finance", "operator", "service"):
        assert consent(client, case_id, token(role), "given", "2024-06-05").status_code == 403
        assert client.put(f"/cases/{case_id}/preferences", json={}, headers=token(role)).status_code == 403
    colleague = token(link_worker_id=str(COLLEAGUE))
    assert consent(client, case_id, colleague, "given", "2024-06-05").status_code == 404
    assert consent(client, theirs, token("provider_manager"), "given", "2024-06-05").status_code == 404
    assert client.put(f"/cases/{theirs}/preferences", json={}, headers=token()).status_code == 404
    assert consent(client, uuid.uuid4(), token(), "given", "2024-06-05").status_code == 404
    assert events(settings, "ConsentRecorded") == [] and events(settings, "PreferencesRecorded") == []
