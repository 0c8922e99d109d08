"""Authenticated writes: each change is one transaction of events + outbox + ORUK read model."""

from __future__ import annotations

import uuid

import pytest

from directory.adapters.demo_data import stable_id
from linkwell_runtime.auth import Role
from linkwell_runtime.testing import query

ORG = str(uuid.uuid4())
WALKING = str(stable_id("term", "Walking groups"))
DEBT = str(stable_id("term", "Debt advice"))


def events(settings) -> list[tuple[str, dict]]:
    return [
        (r[0], r[1]["payload"])
        for r in query(
            settings.database_url,
            "SELECT event_type, envelope FROM events e"
            " JOIN outbox o USING (event_id) ORDER BY recorded_at, aggregate_version",
        )
    ]


def service_body(**overrides) -> dict:
    return {
        "organization_id": ORG,
        "name": "Jesmond Dene walk",
        "description": "Gentle walk",
        "minimum_age": 18,
        "maximum_age": 90,
        "attributes": [{"taxonomy_term_id": WALKING}],
        "service_at_locations": [
            {
                "location": {
                    "name": "Jesmond Dene",
                    "latitude": 54.99,
                    "longitude": -1.6,
                    "addresses": [
                        {
                            "address_1": "Jesmond Dene Road",
                            "city": "Newcastle",
                            "state_province": "Tyne and Wear",
                            "postal_code": "NE2 2EY",
                        }
                    ],
                }
            }
        ],
        "schedules": [{"freq": "WEEKLY", "byday": "WE", "opens_at": "10:00", "closes_at": "11:00"}],
        "cost_options": [{"amount": 1.25, "option": "per walk"}],
    } | overrides


@pytest.fixture
def operator(client, bearer):
    headers = bearer(Role.OPERATOR)
    created = client.post(
        "/organizations", json={"id": ORG, "name": "Dene Walkers", "description": "Walks"}, headers=headers
    )
    assert created.status_code == 201, created.text
    return headers


def test_publishing_a_service_emits_service_published_with_the_engagement_summary(client, settings, operator, oruk):
    response = client.post("/services", json=service_body(), headers=operator)
    assert response.status_code == 201, response.text
    doc = response.json()
    oruk.validate(doc, "compiled/service.json")
    assert doc["cost_options"][0]["amount"] == 1.25
    assert query(settings.database_url, "SELECT amount_pence FROM cost_option") == [(125,)]
    assert client.get(f"/services/{doc['id']}").json() == doc
    published = [p for t, p in events(settings) if t == "ServicePublished"]
    assert published == [
        {
            "service_id": doc["id"],
            "organization_id": ORG,
            "name": "Jesmond Dene walk",
            "status": "active",
            "categories": ["physical_activity"],
            "taxonomy_term_ids": [WALKING],
            "minimum_age": 18,
            "maximum_age": 90,
            "last_modified": published[0]["last_modified"],
        }
    ]


def test_publishing_the_same_service_twice_is_409_and_changes_nothing(client, settings, operator):
    sid = str(uuid.uuid4())
    assert client.post("/services", json=service_body(id=sid), headers=operator).status_code == 201
    again = client.post("/services", json=service_body(id=sid, name="Other"), headers=operator)
    assert again.status_code == 409
    assert client.get(f"/services/{sid}").json()["name"] == "Jesmond Dene walk"
    assert [t for t, _ in events(settings)].count("ServicePublished") == 1


@pytest.mark.parametrize(
    "overrides, loc",
    [
        ({"organization_id": str(uuid.uuid4())}, ["body", "organization_id"]),
        ({"attributes": [{"taxonomy_term_id": str(uuid.uuid4())}]}, ["body", "attributes", 0, "taxonomy_term_id"]),
        ({"status": "closed"}, ["body", "status"]),
        ({"name": ""}, ["body", "name"]),
        ({"minimum_age": 70, "maximum_age": 40}, ["body"]),
        ({"cost_options": [{"amount": 1.255}]}, ["body", "cost_options", 0, "amount"]),
        ({"schedules": [{"byday": "XX"}]}, ["body", "schedules", 0, "byday"]),
    ],
)
def test_bad_service_is_422_with_the_field_and_nothing_is_stored(client, settings, operator, overrides, loc):
    response = client.post("/services", json=service_body(**overrides), headers=operator)
    assert response.status_code == 422, response.text
    assert any(d["loc"][: len(loc)] == loc for d in response.json()["errors"])
    assert query(settings.database_url, "SELECT count(*) FROM service") == [(0,)]
    assert [t for t, _ in events(settings)] == ["OrganizationPublished"]


def test_update_replaces_the_document_and_a_status_move_adds_status_changed(client, settings, operator):
    sid = client.post("/services", json=service_body(), headers=operator).json()["id"]
    body = service_body(
        name="Dene walk (longer)", status="temporarily closed", attributes=[{"taxonomy_term_id": DEBT}], schedules=[]
    )
    response = client.put(f"/services/{sid}", json=body, headers=operator)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "temporarily closed" and response.json()["schedules"] == []
    kinds = [(t, p.get("status"), p.get("to_status"), p.get("categories")) for t, p in events(settings)][-2:]
    assert kinds == [
        ("ServiceUpdated", "active", None, ["welfare_rights_advice"]),
        ("ServiceStatusChanged", None, "temporarily closed", None),
    ]


def test_status_change_emits_once_and_defunct_is_terminal(client, settings, operator):
    sid = client.post("/services", json=service_body(), headers=operator).json()["id"]
    for status in ("temporarily closed", "temporarily closed", "defunct"):
        response = client.post(f"/services/{sid}/status", json={"status": status}, headers=operator)
        assert response.status_code == 200 and response.json()["status"] == status
    changes = [(p["from_status"], p["to_status"]) for t, p in events(settings) if t == "ServiceStatusChanged"]
    assert changes == [("active", "temporarily closed"), ("temporarily closed", "defunct")]
    assert client.post(f"/services/{sid}/status", json={"status": "active"}, headers=operator).status_code == 409
    assert client.put(f"/services/{sid}", json=service_body(), headers=operator).status_code == 409
    assert client.get(f"/services/{sid}").json()["status"] == "defunct"


def test_unknown_service_is_404_on_every_write(client, operator):
    sid = uuid.uuid4()
    assert client.put(f"/services/{sid}", json=service_body(), headers=operator).status_code == 404
    assert client.post(f"/services/{sid}/status", json={"status": "inactive"}, headers=operator).status_code == 404
    assert (
        client.put(f"/organizations/{sid}", json={"name": "x", "description": "y"}, headers=operator).status_code == 404
    )


def test_writes_need_a_token_and_a_writer_role(client, bearer, operator):
    assert client.post("/services", json=service_body()).status_code == 401
    link_worker = bearer(Role.LINK_WORKER, provider_id=ORG, link_worker_id=str(uuid.uuid4()))
    assert client.post("/services", json=service_body(), headers=link_worker).status_code == 403


def test_provider_manager_writes_only_for_their_own_organisation(client, bearer, operator):
    own = bearer(Role.PROVIDER_MANAGER, provider_id=ORG)
    other = bearer(Role.PROVIDER_MANAGER, provider_id=str(uuid.uuid4()))
    assert client.post("/services", json=service_body(), headers=other).status_code == 403
    sid = client.post("/services", json=service_body(), headers=own).json()["id"]
    assert client.post(f"/services/{sid}/status", json={"status": "inactive"}, headers=other).status_code == 403
    assert client.post(f"/services/{sid}/status", json={"status": "inactive"}, headers=own).status_code == 200


def test_idempotency_key_replays_the_first_answer_and_refuses_another_body(client, settings, operator):
    headers = operator | {"Idempotency-Key": "k-1"}
    first = client.post("/services", json=service_body(), headers=headers)
    second = client.post("/services", json=service_body(), headers=headers)
    assert (second.status_code, second.json()) == (first.status_code, first.json())
    assert query(settings.database_url, "SELECT count(*) FROM service") == [(1,)]
    reused = client.post("/services", json=service_body(name="Different"), headers=headers)
    assert reused.status_code == 422 and reused.json()["errors"][0]["loc"] == ["header", "Idempotency-Key"]


def test_organisation_publish_and_update_emit_their_events(client, settings, operator):
    response = client.put(
        f"/organizations/{ORG}", json={"name": "Dene Walkers CIO", "description": "Walks"}, headers=operator
    )
    assert response.status_code == 200 and response.json()["name"] == "Dene Walkers CIO"
    assert [(t, p["name"]) for t, p in events(settings)] == [
        ("OrganizationPublished", "Dene Walkers"),
        ("OrganizationUpdated", "Dene Walkers CIO"),
    ]
    assert (
        client.post("/organizations", json={"id": ORG, "name": "x", "description": "y"}, headers=operator).status_code
        == 409
    )
