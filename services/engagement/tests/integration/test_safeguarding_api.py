"""Safeguarding concerns over HTTP: raised, escalated and closed by the holding link worker or the
provider's managers; a closed concern refused escalation with a clear 409; an open concern flags the
case in every list; a manager lists their organisation's open concerns; the words stay in the
database (never in events or the outbox), shown to the holder and managers only, each read audited."""

from __future__ import annotations

import uuid

import pytest
from engagement_testkit import COLLEAGUE, OTHER_PROVIDER, STRANGER

from linkwell_runtime.testing import query

DESCRIPTION = "Bruising on both arms; says her son pushes her"
ACTION = "Called the duty social worker from the practice"


def raise_concern(client, case_id, headers, **overrides):
    body = {
        "category": "abuse",
        "risk_level": "high",
        "description": DESCRIPTION,
        "immediate_action": ACTION,
        "raised_on": "2024-06-05",
    } | overrides
    return client.post(f"/cases/{case_id}/safeguarding-concerns", json=body, headers=headers)


def stored_text(settings) -> str:
    rows = query(settings.database_url, "SELECT envelope::text FROM events")
    rows += query(settings.database_url, "SELECT convert_from(message, 'UTF8') FROM outbox")
    return " ".join(r[0] for r in rows)


def test_a_concern_raised_escalated_and_closed_keeps_its_words_out_of_kafka(client, token, open_case, settings):
    case_id = open_case()
    raised = raise_concern(client, case_id, token())
    assert raised.status_code == 201, raised.text
    concern_id = raised.json()["concern_id"]
    assert raised.json() == {
        "concern_id": concern_id,
        "status": "open",
        "risk_level": "high",
        "raised_on": "2024-06-05",
    }
    manager = token("provider_manager")
    escalated = client.post(
        f"/cases/{case_id}/safeguarding-concerns/{concern_id}/escalations",
        json={"escalated_to": "adult_social_care", "detail": "Newcastle duty team", "escalated_on": "2024-06-05"},
        headers=manager,
    )
    assert escalated.status_code == 201, escalated.text
    closed = client.post(
        f"/cases/{case_id}/safeguarding-concerns/{concern_id}/closure",
        json={"outcome": "handed_to_statutory_services", "note": "Social worker allocated", "closed_on": "2024-06-20"},
        headers=token(),
    )
    assert closed.status_code == 201 and closed.json()["status"] == "closed"
    on_kafka = stored_text(settings)
    assert "SafeguardingConcernClosed" in on_kafka
    assert not [w for w in (DESCRIPTION, ACTION, "duty team", "Social worker allocated") if w in on_kafka]
    view = client.get(f"/cases/{case_id}", headers=manager).json()
    [concern] = view["safeguarding_concerns"]
    assert (concern["description"], concern["immediate_action"], concern["closure_note"]) == (
        DESCRIPTION,
        ACTION,
        "Social worker allocated",
    )
    assert concern["escalations"] == [
        {"escalated_to": "adult_social_care", "escalated_on": "2024-06-05", "detail": "Newcastle duty team"}
    ]
    [(fields,)] = query(settings.database_url, "SELECT fields FROM access_audit")
    assert {"safeguarding_description", "safeguarding_action", "escalation_detail", "closure_note"} <= set(fields)


def test_a_closed_concern_cannot_be_escalated_and_says_why(client, token, open_case, settings):
    case_id = open_case()
    concern_id = raise_concern(client, case_id, token()).json()["concern_id"]
    base = f"/cases/{case_id}/safeguarding-concerns/{concern_id}"
    assert client.post(f"{base}/closure", json={"outcome": "unfounded"}, headers=token()).status_code == 201
    before = query(settings.database_url, "SELECT count(*) FROM events")
    refused = client.post(f"{base}/escalations", json={"escalated_to": "police"}, headers=token("provider_manager"))
    assert refused.status_code == 409
    assert "closed on 2024-09-02" in refused.json()["detail"] and "raise a new concern" in refused.json()["detail"]
    again = client.post(f"{base}/closure", json={"outcome": "resolved"}, headers=token())
    assert again.status_code == 409
    assert query(settings.database_url, "SELECT count(*) FROM events") == before


def test_an_open_concern_flags_the_case_in_every_list_and_managers_list_their_open_concerns(client, token, open_case):
    flagged, quiet = open_case(), open_case()
    theirs = open_case(worker=STRANGER, provider=OTHER_PROVIDER)
    colleagues = open_case(worker=COLLEAGUE)
    low = raise_concern(client, flagged, token(), risk_level="low").json()["concern_id"]
    immediate = raise_concern(client, flagged, token(), risk_level="immediate").json()["concern_id"]
    raise_concern(client, colleagues, token(link_worker_id=str(COLLEAGUE)), category="neglect")
    raise_concern(client, theirs, token(provider_id=str(OTHER_PROVIDER), link_worker_id=str(STRANGER)))
    rows = {r["case_id"]: r for r in client.get("/cases", headers=token()).json()["items"]}
    assert (rows[str(flagged)]["open_safeguarding_concerns"], rows[str(flagged)]["highest_open_risk"]) == (
        2,
        "immediate",
    )
    assert rows[str(quiet)]["open_safeguarding_concerns"] == 0
    only = client.get("/cases?safeguarding=open", headers=token("provider_manager")).json()["items"]
    assert sorted(r["case_id"] for r in only) == sorted([str(flagged), str(colleagues)])
    listed = client.get("/safeguarding-concerns", headers=token("provider_manager"))
    assert listed.status_code == 200
    items = listed.json()["items"]
    assert [i["risk_level"] for i in items] == ["immediate", "high", "low"]  # highest risk first
    assert {i["case_id"] for i in items} == {str(flagged), str(colleagues)}
    assert DESCRIPTION not in listed.text
    mine = client.get("/safeguarding-concerns", headers=token()).json()["items"]
    assert {i["concern_id"] for i in mine} == {low, immediate}
    close = f"/cases/{flagged}/safeguarding-concerns/{immediate}/closure"
    assert client.post(close, json={"outcome": "resolved"}, headers=token()).status_code == 201
    row = next(r for r in client.get("/cases", headers=token()).json()["items"] if r["case_id"] == str(flagged))
    assert (row["open_safeguarding_concerns"], row["highest_open_risk"]) == (1, "low")
    closed = client.get("/safeguarding-concerns?status=closed", headers=token("provider_manager")).json()["items"]
    assert [i["concern_id"] for i in closed] == [immediate]


def test_the_platforms_services_never_see_concerns_and_other_roles_cannot_list_them(client, token, open_case):
    case_id = open_case()
    raise_concern(client, case_id, token())
    machine = client.get(f"/cases/{case_id}", headers=token("service"))
    assert machine.json()["safeguarding_concerns"] is None and machine.json()["open_safeguarding_concerns"] == 1
    assert DESCRIPTION not in machine.text
    for role in ("service", "referrer", "finance", "operator"):
        assert client.get("/safeguarding-concerns", headers=token(role)).status_code == 403


def test_only_the_holder_and_the_providers_managers_raise_escalate_or_close(client, token, open_case, settings):
    case_id = open_case()
    theirs = open_case(worker=STRANGER, provider=OTHER_PROVIDER)
    concern_id = raise_concern(client, case_id, token()).json()["concern_id"]
    base = f"/cases/{case_id}/safeguarding-concerns/{concern_id}"
    before = query(settings.database_url, "SELECT count(*) FROM events")
    for role in ("service", "referrer", "finance", "operator"):
        assert raise_concern(client, case_id, token(role)).status_code == 403
        assert client.post(f"{base}/escalations", json={"escalated_to": "gp"}, headers=token(role)).status_code == 403
    colleague = token(link_worker_id=str(COLLEAGUE))
    assert client.post(f"{base}/escalations", json={"escalated_to": "gp"}, headers=colleague).status_code == 404
    assert client.post(f"{base}/closure", json={"outcome": "resolved"}, headers=colleague).status_code == 404
    assert raise_concern(client, theirs, token("provider_manager")).status_code == 404
    unknown = f"/cases/{case_id}/safeguarding-concerns/{uuid.uuid4()}/escalations"
    assert client.post(unknown, json={"escalated_to": "gp"}, headers=token()).status_code == 404
    assert query(settings.database_url, "SELECT count(*) FROM events") == before


@pytest.mark.parametrize(
    ("overrides", "loc"),
    [
        ({"category": "gossip"}, ["body", "category"]),
        ({"risk_level": "extreme"}, ["body", "risk_level"]),
        ({"description": ""}, ["body", "description"]),
        ({"description": "x" * 2001}, ["body", "description"]),
        ({"raised_on": "2030-01-01"}, ["body", "raised_on"]),
        ({"raised_on": "not a date"}, ["body", "raised_on"]),
    ],
)
def test_a_bad_concern_is_422_naming_the_field_and_changes_nothing(client, token, open_case, settings, overrides, loc):
    case_id = open_case()
    answer = raise_concern(client, case_id, token(), **overrides)
    assert answer.status_code == 422
    assert loc in [e["loc"] for e in answer.json()["errors"]]
    assert query(settings.database_url, "SELECT count(*) FROM case_texts") == [(0,)]


def test_a_bad_escalation_or_closure_is_422_naming_the_field(client, token, open_case):
    case_id = open_case()
    concern_id = raise_concern(client, case_id, token()).json()["concern_id"]
    base = f"/cases/{case_id}/safeguarding-concerns/{concern_id}"
    for path, body, loc in (
        ("escalations", {"escalated_to": "the press"}, ["body", "escalated_to"]),
        ("escalations", {"escalated_to": "other"}, ["body", "detail"]),
        ("escalations", {"escalated_to": "gp", "escalated_on": "2024-06-04"}, ["body", "escalated_on"]),
        ("closure", {"outcome": "fine"}, ["body", "outcome"]),
        ("closure", {"outcome": "other"}, ["body", "note"]),
    ):
        answer = client.post(f"{base}/{path}", json=body, headers=token())
        assert answer.status_code == 422, (path, body)
        assert loc in [e["loc"] for e in answer.json()["errors"]], (path, body, answer.json())
