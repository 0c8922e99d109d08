"""Writes cannot reach another organisation's records through nested ids (docs/security.md): a
provider manager's service may not take over or rewrite another organisation's location, contact,
phone, schedule, cost or address by quoting its id, nor point a schedule at another service's
location; the other organisation's service reads exactly as before."""

from __future__ import annotations

import uuid

import pytest

from linkwell_runtime.auth import Role
from linkwell_runtime.testing import query

OURS, THEIRS = str(uuid.uuid4()), str(uuid.uuid4())
WALKING_LOCATION = {
    "name": "Jesmond Dene",
    "addresses": [
        {
            "address_1": "Jesmond Dene Road",
            "city": "Newcastle",
            "state_province": "Tyne and Wear",
            "postal_code": "NE2 2EY",
        }
    ],
}


def service(organization_id: str, **overrides) -> dict:
    return {
        "organization_id": organization_id,
        "name": "Walk",
        "description": "Gentle walk",
        "service_at_locations": [{"location": WALKING_LOCATION}],
        "contacts": [{"name": "Ann", "phones": [{"number": "0191 000 0000"}]}],
        "schedules": [{"freq": "WEEKLY", "byday": "WE", "opens_at": "10:00", "closes_at": "11:00"}],
        "cost_options": [{"amount": 1.25, "option": "per walk"}],
    } | overrides


@pytest.fixture
def theirs(client, bearer) -> dict:
    operator = bearer(Role.OPERATOR)
    for org in (OURS, THEIRS):
        created = client.post(
            "/organizations", json={"id": org, "name": f"Org {org[:4]}", "description": "x"}, headers=operator
        )
        assert created.status_code == 201, created.text
    published = client.post(
        "/services", json=service(THEIRS), headers=bearer(Role.PROVIDER_MANAGER, provider_id=THEIRS)
    )
    assert published.status_code == 201, published.text
    return published.json()


def _refused(answer, *loc) -> None:
    assert answer.status_code == 422, answer.text
    assert list(loc) in [e["loc"] for e in answer.json()["errors"]], answer.json()["errors"]


def test_a_manager_cannot_rewrite_another_organisations_location_by_its_id(client, bearer, theirs, settings):
    ours = bearer(Role.PROVIDER_MANAGER, provider_id=OURS)
    their_location = theirs["service_at_locations"][0]["location"]
    hijack = {"id": their_location["id"], "name": "Closed for good", "addresses": []}
    answer = client.post("/services", json=service(OURS, service_at_locations=[{"location": hijack}]), headers=ours)
    _refused(answer, "body", "service_at_locations", 0, "location", "id")
    assert client.get(f"/services/{theirs['id']}").json() == theirs
    assert query(settings.database_url, "SELECT count(*) FROM service WHERE organization_id = %s", (OURS,)) == [(0,)]


@pytest.mark.parametrize(
    "field, nested",
    [
        ("contacts", lambda t: {"contacts": [{"id": t["contacts"][0]["id"], "name": "Mallory"}]}),
        ("cost_options", lambda t: {"cost_options": [{"id": t["cost_options"][0]["id"], "amount": 0}]}),
        ("schedules", lambda t: {"schedules": [{"id": t["schedules"][0]["id"], "freq": "WEEKLY", "byday": "MO"}]}),
        (
            "service_at_locations",
            lambda t: {
                "service_at_locations": [{"id": t["service_at_locations"][0]["id"], "location": WALKING_LOCATION}]
            },
        ),
    ],
)
def test_a_child_id_of_another_service_is_refused(client, bearer, theirs, field, nested):
    ours = bearer(Role.PROVIDER_MANAGER, provider_id=OURS)
    answer = client.post("/services", json=service(OURS, **nested(theirs)), headers=ours)
    _refused(answer, "body", field, 0, "id")
    assert client.get(f"/services/{theirs['id']}").json() == theirs


def test_a_phone_or_address_of_another_record_is_refused(client, bearer, theirs):
    ours = bearer(Role.PROVIDER_MANAGER, provider_id=OURS)
    phone = {
        "contacts": [
            {"name": "Ann", "phones": [{"id": theirs["contacts"][0]["phones"][0]["id"], "number": "0191 111 1111"}]}
        ]
    }
    _refused(
        client.post("/services", json=service(OURS, **phone), headers=ours), "body", "contacts", 0, "phones", 0, "id"
    )
    address = dict(
        WALKING_LOCATION["addresses"][0], id=theirs["service_at_locations"][0]["location"]["addresses"][0]["id"]
    )
    located = {"service_at_locations": [{"location": {"name": "Our hall", "addresses": [address]}}]}
    answer = client.post("/services", json=service(OURS, **located), headers=ours)
    _refused(answer, "body", "service_at_locations", 0, "location", "addresses", 0, "id")
    assert client.get(f"/services/{theirs['id']}").json() == theirs


def test_a_schedule_may_point_only_at_its_own_services_locations(client, bearer, theirs):
    ours = bearer(Role.PROVIDER_MANAGER, provider_id=OURS)
    elsewhere = {"schedules": [{"service_at_location_id": theirs["service_at_locations"][0]["id"], "freq": "WEEKLY"}]}
    answer = client.post("/services", json=service(OURS, **elsewhere), headers=ours)
    _refused(answer, "body", "schedules", 0, "service_at_location_id")


def test_a_manager_cannot_move_another_organisations_service_or_replace_it(client, bearer, theirs):
    ours = bearer(Role.PROVIDER_MANAGER, provider_id=OURS)
    assert client.put(f"/services/{theirs['id']}", json=service(OURS), headers=ours).status_code == 403
    assert client.put(f"/services/{theirs['id']}", json=service(THEIRS), headers=ours).status_code == 403
    assert client.post(f"/services/{theirs['id']}/status", json={"status": "defunct"}, headers=ours).status_code == 403
    org = {"name": "Renamed", "description": "x"}
    assert client.put(f"/organizations/{THEIRS}", json=org, headers=ours).status_code == 403
    assert client.get(f"/services/{theirs['id']}").json() == theirs


def test_its_own_records_stay_writable_by_their_ids(client, bearer, theirs):
    own = bearer(Role.PROVIDER_MANAGER, provider_id=THEIRS)
    again = dict(theirs)
    again["name"] = "Longer walk"
    for key in ("last_modified", "organization"):
        again.pop(key, None)
    answer = client.put(f"/services/{theirs['id']}", json=_writable(again), headers=own)
    assert answer.status_code == 200, answer.text
    assert (
        answer.json()["service_at_locations"][0]["location"]["id"]
        == theirs["service_at_locations"][0]["location"]["id"]
    )


def test_an_operator_may_share_a_location_across_organisations(client, bearer, theirs):
    shared = dict(theirs["service_at_locations"][0]["location"])
    answer = client.post(
        "/services",
        json=service(OURS, service_at_locations=[{"location": _writable(shared)}]),
        headers=bearer(Role.OPERATOR),
    )
    assert answer.status_code == 201, answer.text


def _writable(document):
    """A read document as a write body: the read-only back-references left out."""
    if isinstance(document, list):
        return [_writable(d) for d in document]
    if not isinstance(document, dict):
        return document
    dropped = {
        "service_id",
        "location_id",
        "contact_id",
        "link_id",
        "link_type",
        "organization",
        "last_modified",
        "taxonomy_term",
    }
    return {k: _writable(v) for k, v in document.items() if k not in dropped}
