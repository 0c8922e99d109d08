"""Least privilege on cases (docs/security.md): each role against another organisation's case (reads,
lists with widening filters, nested ids), free texts only for the case's own link worker and managers,
and every read of them audited with who, role, patient, case, when and the request id."""

from __future__ import annotations

import uuid

from engagement_testkit import COLLEAGUE, OTHER_PROVIDER, PROVIDER, STRANGER, WORKER, contact_body

from linkwell_runtime.testing import query

GOAL = "Walk to the park with her sister"


def case_with_texts(client, token, open_case, **where) -> uuid.UUID:
    case_id = open_case(**where)
    holder = token(provider_id=str(where.get("provider", PROVIDER)), link_worker_id=str(where.get("worker", WORKER)))
    answer = client.post(
        f"/cases/{case_id}/contact-attempts",
        json={"occurred_at": "2024-06-04T10:00:00+01:00", "note": "no answer, left a message"},
        headers=holder,
    )
    assert answer.status_code == 201, answer.text
    assert client.post(f"/cases/{case_id}/contacts", json=contact_body(), headers=holder).status_code == 201
    goal = client.post(
        f"/cases/{case_id}/goals", json={"description": GOAL, "star_areas": ["lifestyle"]}, headers=holder
    )
    assert goal.status_code == 201, goal.text
    return case_id


def audit_rows(client) -> list[tuple]:
    return query(
        client.app.state.settings.database_url,
        "SELECT subject, role, action, patient_id::text, referral_id::text, fields, request_id::text"
        " FROM access_audit ORDER BY id",
    )


def test_the_holder_reads_the_free_texts_and_the_read_is_audited_with_its_request_id(client, token, open_case):
    case_id = case_with_texts(client, token, open_case)
    request_id = str(uuid.uuid4())
    view = client.get(f"/cases/{case_id}", headers=token(sub="lw-ann") | {"X-Request-ID": request_id})
    assert view.status_code == 200
    assert view.json()["goals"][0]["description"] == GOAL
    assert view.json()["contact_attempts"][0]["note"] == "no answer, left a message"
    [row] = audit_rows(client)
    assert row == (
        "lw-ann",
        "link_worker",
        "read_case_text",
        view.json()["patient_id"],
        str(case_id),
        ["attempt_note", "goal_description"],
        request_id,
    )


def test_the_providers_manager_reads_them_audited_and_the_platforms_services_never_see_them(client, token, open_case):
    case_id = case_with_texts(client, token, open_case)
    managed = client.get(f"/cases/{case_id}", headers=token("provider_manager"))
    assert managed.json()["goals"][0]["description"] == GOAL
    machine = client.get(f"/cases/{case_id}", headers=token("service"))
    assert machine.status_code == 200
    assert GOAL not in machine.text and "left a message" not in machine.text
    assert machine.json()["goals"][0]["description"] is None
    assert [(r[1], r[2]) for r in audit_rows(client)] == [("provider_manager", "read_case_text")]


def test_another_organisations_case_is_not_found_for_every_route_and_nothing_is_audited(client, token, open_case):
    theirs = case_with_texts(client, token, open_case, worker=STRANGER, provider=OTHER_PROVIDER)
    colleagues = open_case(worker=COLLEAGUE)
    goal_id = uuid.uuid4()
    for who in (token(), token("provider_manager")):
        assert client.get(f"/cases/{theirs}", headers=who).status_code == 404
        for method, path, body in (
            ("POST", f"/cases/{theirs}/contacts", contact_body()),
            ("POST", f"/cases/{theirs}/goals", {"description": "x", "star_areas": ["lifestyle"]}),
            ("PATCH", f"/cases/{theirs}/goals/{goal_id}", {"status": "in_progress"}),
            ("POST", f"/cases/{theirs}/discharge", {"discharged_on": "2024-09-02", "reason": "goals_met"}),
            ("POST", f"/cases/{theirs}/reassignment", {"link_worker_id": str(STRANGER)}),
        ):
            answer = client.request(method, path, json=body, headers=who)
            assert answer.status_code in (403, 404), (method, path, answer.status_code)
            assert GOAL not in answer.text
    assert client.get(f"/cases/{colleagues}", headers=token()).status_code == 404  # a colleague's caseload
    assert audit_rows(client) == []


def test_list_filters_only_narrow_the_callers_scope(client, token, open_case):
    mine = str(open_case())
    open_case(worker=STRANGER, provider=OTHER_PROVIDER)
    open_case(worker=COLLEAGUE)
    assert client.get(f"/cases?link_worker_id={STRANGER}", headers=token()).status_code == 403
    managed = client.get(f"/cases?link_worker_id={STRANGER}", headers=token("provider_manager"))
    assert managed.status_code == 200 and managed.json()["items"] == []
    listed = client.get("/cases", headers=token())
    assert [c["case_id"] for c in listed.json()["items"]] == [mine]
    assert GOAL not in listed.text
    for role in ("referrer", "finance", "operator"):
        assert client.get("/cases", headers=token(role)).status_code == 403
        assert client.get(f"/cases/{mine}", headers=token(role)).status_code == 403
