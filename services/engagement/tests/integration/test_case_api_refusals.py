"""Every 4xx the case API gives, and that nothing changes when it does."""

from __future__ import annotations

import uuid

import pytest
from engagement_testkit import COLLEAGUE, DEFUNCT_SERVICE, SCORES, SERVICE, STRANGER, contact_body

from linkwell_runtime.testing import query


def event_count(settings) -> int:
    return query(settings.database_url, "SELECT count(*) FROM events")[0][0]


@pytest.fixture
def contacted_case(client, token, open_case):
    case_id = open_case()
    assert client.post(f"/cases/{case_id}/contacts", json=contact_body(), headers=token()).status_code == 201
    return case_id


def test_no_token_is_401(client, open_case):
    assert client.get(f"/cases/{open_case()}").status_code == 401


@pytest.mark.parametrize("role", ["referrer", "finance", "operator"])
def test_roles_without_case_access_get_403_whether_or_not_the_case_exists(client, token, open_case, role):
    for case_id in (open_case(), uuid.uuid4()):
        assert client.get(f"/cases/{case_id}", headers=token(role)).status_code == 403
        assert client.post(f"/cases/{case_id}/contacts", json=contact_body(), headers=token(role)).status_code == 403
    assert client.get("/cases", headers=token(role)).status_code == 403


def test_another_workers_case_looks_exactly_like_an_unknown_one(client, token, open_case, settings):
    case_id = open_case()
    before = event_count(settings)
    other = token(link_worker_id=str(uuid.uuid4()))
    theirs = client.get(f"/cases/{case_id}", headers=other)
    unknown = client.get(f"/cases/{uuid.uuid4()}", headers=other)
    assert (
        (theirs.status_code, theirs.json())
        == (unknown.status_code, unknown.json())
        == (
            404,
            {"type": "urn:linkwell:problem:not-found", "title": "Not Found", "status": 404, "detail": "case not found"},
        )
    )
    assert client.post(f"/cases/{case_id}/contacts", json=contact_body(), headers=other).status_code == 404
    assert event_count(settings) == before


def test_a_manager_of_another_provider_gets_404(client, token, open_case):
    case_id = open_case()
    assert (
        client.get(f"/cases/{case_id}", headers=token("provider_manager", provider_id=str(uuid.uuid4()))).status_code
        == 404
    )
    assert client.get(f"/cases/{case_id}", headers=token("provider_manager")).status_code == 200


def test_a_manager_may_not_record_case_work(client, token, open_case):
    assert (
        client.post(
            f"/cases/{open_case()}/contacts", json=contact_body(), headers=token("provider_manager")
        ).status_code
        == 403
    )


def test_star_scores_outside_1_to_10_missing_or_not_whole_numbers_are_422_naming_each(
    client, token, contacted_case, settings
):
    before = event_count(settings)
    bad = SCORES | {"money": 11, "lifestyle": 0, "feeling_positive": 4.5, "where_you_live": "7"}
    del bad["family_and_friends"]
    answer = client.post(
        f"/cases/{contacted_case}/stars", json={"taken_on": "2024-06-05", "scores": bad | {"x": 3}}, headers=token()
    )
    assert answer.status_code == 422
    assert sorted(d["loc"][-1] for d in answer.json()["errors"]) == [
        "family_and_friends",
        "feeling_positive",
        "lifestyle",
        "money",
        "where_you_live",
        "x",
    ]
    assert event_count(settings) == before


@pytest.mark.parametrize(
    "body",
    [
        contact_body(mode="carrier_pigeon"),
        contact_body(duration_minutes=-1),
        contact_body(venue="14 Acacia Avenue"),
        contact_body(occurred_at="2024-06-05T10:00:00"),
        contact_body(occurred_at="2030-01-01T10:00:00Z"),
        contact_body(attended="yes"),
        {"mode": "telephone"},
    ],
)
def test_malformed_contacts_are_422(client, token, open_case, body):
    answer = client.post(f"/cases/{open_case()}/contacts", json=body, headers=token())
    assert answer.status_code == 422, answer.text
    assert all("loc" in d for d in answer.json()["errors"])


def test_unknown_or_defunct_directory_services_are_422(client, token, contacted_case):
    for service_id in (uuid.uuid4(), DEFUNCT_SERVICE):
        answer = client.post(
            f"/cases/{contacted_case}/linkages",
            json={"service_id": str(service_id), "category": "arts"},
            headers=token(),
        )
        assert answer.status_code == 422 and answer.json()["errors"][0]["loc"] == ["body", "service_id"]
    bad_category = client.post(
        f"/cases/{contacted_case}/linkages", json={"service_id": str(SERVICE), "category": "knitting"}, headers=token()
    )
    assert bad_category.status_code == 422


def test_unknown_goal_star_or_linkage_is_404(client, token, contacted_case):
    missing = uuid.uuid4()
    assert (
        client.patch(
            f"/cases/{contacted_case}/goals/{missing}", json={"status": "achieved"}, headers=token()
        ).status_code
        == 404
    )
    assert (
        client.post(f"/cases/{contacted_case}/stars/{missing}/void", json={"reason": "x"}, headers=token()).status_code
        == 404
    )
    assert (
        client.patch(
            f"/cases/{contacted_case}/linkages/{missing}", json={"status": "referred"}, headers=token()
        ).status_code
        == 404
    )


def test_after_discharge_no_contacts_stars_or_linkages_409(client, token, contacted_case, settings):
    client.post(
        f"/cases/{contacted_case}/discharge",
        json={"discharged_on": "2024-09-02", "reason": "goals_met"},
        headers=token(),
    )
    before = event_count(settings)
    for path, body in (
        ("contacts", contact_body()),
        ("stars", {"taken_on": "2024-09-02", "scores": SCORES}),
        ("linkages", {"service_id": str(SERVICE), "category": "arts"}),
    ):
        assert client.post(f"/cases/{contacted_case}/{path}", json=body, headers=token()).status_code == 409
    assert event_count(settings) == before


def test_forbidden_goal_and_linkage_transitions_are_409(client, token, contacted_case):
    goal_id = client.post(
        f"/cases/{contacted_case}/goals", json={"description": "d", "star_areas": ["money"]}, headers=token()
    ).json()["goal_id"]
    client.patch(f"/cases/{contacted_case}/goals/{goal_id}", json={"status": "achieved"}, headers=token())
    assert (
        client.patch(
            f"/cases/{contacted_case}/goals/{goal_id}", json={"status": "in_progress"}, headers=token()
        ).status_code
        == 409
    )
    assert (
        client.patch(f"/cases/{contacted_case}/goals/{goal_id}", json={"status": "done"}, headers=token()).status_code
        == 422
    )
    linkage_id = client.post(
        f"/cases/{contacted_case}/linkages", json={"service_id": str(SERVICE), "category": "arts"}, headers=token()
    ).json()["linkage_id"]
    assert (
        client.patch(
            f"/cases/{contacted_case}/linkages/{linkage_id}", json={"status": "attended"}, headers=token()
        ).status_code
        == 409
    )


def test_a_star_before_any_attended_contact_is_409(client, token, open_case):
    assert (
        client.post(
            f"/cases/{open_case()}/stars", json={"taken_on": "2024-06-05", "scores": SCORES}, headers=token()
        ).status_code
        == 409
    )


def test_reassignment_to_another_provider_is_409_and_to_an_unknown_worker_422(client, token, open_case):
    case_id = open_case()
    manager = token("provider_manager")
    assert (
        client.post(
            f"/cases/{case_id}/reassignment", json={"link_worker_id": str(STRANGER)}, headers=manager
        ).status_code
        == 409
    )
    unknown = client.post(f"/cases/{case_id}/reassignment", json={"link_worker_id": str(uuid.uuid4())}, headers=manager)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["loc"] == ["body", "link_worker_id"]


def test_an_extension_needs_a_reason_and_a_future_review_date(client, token, open_case):
    answer = client.post(
        f"/cases/{open_case()}/extension", json={"reason": " ", "review_on": "2024-09-02"}, headers=token()
    )
    assert answer.status_code == 422
    assert sorted(d["loc"][-1] for d in answer.json()["errors"]) == ["reason", "review_on"]


def test_a_discharge_reason_outside_the_list_is_422(client, token, open_case):
    assert (
        client.post(
            f"/cases/{open_case()}/discharge", json={"discharged_on": "2024-09-02", "reason": "bored"}, headers=token()
        ).status_code
        == 422
    )


def test_an_idempotency_key_reused_for_another_body_is_422(client, token, open_case):
    case_id, headers = open_case(), token() | {"Idempotency-Key": "k1"}
    assert client.post(f"/cases/{case_id}/contacts", json=contact_body(), headers=headers).status_code == 201
    assert (
        client.post(f"/cases/{case_id}/contacts", json=contact_body(duration_minutes=5), headers=headers).status_code
        == 422
    )


def test_a_stored_answer_is_not_replayed_to_a_link_worker_whose_case_was_handed_on(client, token, open_case):
    case_id, headers = open_case(), token() | {"Idempotency-Key": "contact-1"}
    assert client.post(f"/cases/{case_id}/contacts", json=contact_body(), headers=headers).status_code == 201
    assert (
        client.post(
            f"/cases/{case_id}/reassignment", json={"link_worker_id": str(COLLEAGUE)}, headers=token("provider_manager")
        ).status_code
        == 201
    )
    replay = client.post(f"/cases/{case_id}/contacts", json=contact_body(), headers=headers)
    assert replay.status_code == 404 and replay.json()["detail"] == "case not found"


def test_a_stored_answer_is_not_replayed_to_a_caller_whose_role_may_not_write(client, token, open_case):
    case_id = open_case()
    headers = token("provider_manager") | {"Idempotency-Key": "discharge-1"}
    body = {"discharged_on": "2024-09-02", "reason": "moved_away"}
    assert client.post(f"/cases/{case_id}/discharge", json=body, headers=headers).status_code == 201
    other_provider = token("provider_manager", provider_id=str(uuid.uuid4())) | {"Idempotency-Key": "discharge-1"}
    assert client.post(f"/cases/{case_id}/discharge", json=body, headers=other_provider).status_code == 404


def test_a_link_worker_cannot_list_someone_elses_caseload(client, token):
    assert client.get(f"/cases?link_worker_id={uuid.uuid4()}", headers=token()).status_code == 403


def test_bad_query_parameters_are_422(client, token):
    assert client.get("/cases?page=0", headers=token()).status_code == 422
    assert client.get("/cases?due_for_review=perhaps", headers=token()).status_code == 422


def test_date_refusals_name_the_field_and_never_echo_the_date_sent(client, token, contacted_case, settings):
    before = event_count(settings)
    refusals = [
        client.post(
            f"/cases/{contacted_case}/contacts", json=contact_body(occurred_at="2031-03-07T10:00:00Z"), headers=token()
        ),
        client.post(
            f"/cases/{contacted_case}/stars", json={"taken_on": "2031-03-07", "scores": SCORES}, headers=token()
        ),
    ]
    for answer in refusals:
        assert answer.status_code == 422
        assert "2031" not in answer.text
        assert [d["loc"][-1] for d in answer.json()["errors"]] in (["occurred_at"], ["taken_on"])
    assert event_count(settings) == before
