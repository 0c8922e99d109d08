"""Bad input found by fuzzing (fuzz/repro.sh 4d, 4e, 6c, 6g, 10, 12a-c and the fuzz README's suspects):
each is a 4xx with the field named, never a 5xx, never stored, never mixed into another aggregate's stream."""

from __future__ import annotations

import uuid

import pytest

from directory.adapters.demo_data import stable_id
from linkwell_runtime.auth import Role
from linkwell_runtime.testing import query

ORG = str(uuid.uuid4())
WALKING = str(stable_id("term", "Walking groups"))


def events(settings) -> list[tuple[str, dict]]:
    return [
        (r[0], r[1]["payload"])
        for r in query(
            settings.database_url, "SELECT event_type, envelope FROM events ORDER BY recorded_at, aggregate_version"
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


def schedule(**fields) -> dict:
    return service_body(schedules=[{"freq": "WEEKLY", "byday": "WE"} | fields])


@pytest.mark.parametrize(
    "body, loc",
    [
        (schedule(opens_at="09:00:00+01:00", closes_at="17:00:00"), ["body", "schedules", 0, "opens_at"]),
        (schedule(opens_at="09:00:00", closes_at="17:00:00Z"), ["body", "schedules", 0, "closes_at"]),
        (schedule(opens_at=32400, closes_at="17:00"), ["body", "schedules", 0, "opens_at"]),
        (schedule(valid_from="2026-02-01", valid_to="2026-01-01"), ["body", "schedules", 0]),
        (schedule(valid_from=20240101), ["body", "schedules", 0, "valid_from"]),
        (schedule(interval="12"), ["body", "schedules", 0, "interval"]),
        (schedule(interval=True), ["body", "schedules", 0, "interval"]),
        (
            service_body(cost_options=[{"amount": 1, "valid_from": "2026-02-01", "valid_to": "2026-01-01"}]),
            ["body", "cost_options", 0],
        ),
        (service_body(cost_options=[{"amount": "1.25"}]), ["body", "cost_options", 0, "amount"]),
        (service_body(name="   "), ["body", "name"]),
        (service_body(description=" \t\n"), ["body", "description"]),
        (service_body(minimum_age=True), ["body", "minimum_age"]),
        (service_body(maximum_age="90"), ["body", "maximum_age"]),
        (service_body(assured_date=20240101), ["body", "assured_date"]),
        (service_body(colour="blue"), ["body", "colour"]),
        (service_body(contacts=[{"name": "Ann", "nickname": "A"}]), ["body", "contacts", 0, "nickname"]),
        (
            service_body(service_at_locations=[{"location": {"name": "x", "latitude": "54.9"}}]),
            ["body", "service_at_locations", 0, "location", "latitude"],
        ),
        # more nested records than any service has: one write must not make every read megabytes long
        (service_body(languages=[{"name": "English"}] * 201), ["body", "languages"]),
        (service_body(contacts=[{"name": "Ann"}] * 201), ["body", "contacts"]),
    ],
)
def test_bad_service_fields_are_422_naming_the_field_and_nothing_is_stored(client, settings, operator, body, loc):
    response = client.post("/services", json=body, headers=operator)
    assert response.status_code == 422, response.text
    assert any(d["loc"][: len(loc)] == loc for d in response.json()["errors"]), response.json()
    assert query(settings.database_url, "SELECT count(*) FROM service") == [(0,)]


@pytest.mark.parametrize(
    "body, loc",
    [
        ({"name": "  ", "description": "Walks"}, ["body", "name"]),
        ({"name": "Org", "description": "Walks", "motto": "x"}, ["body", "motto"]),
    ],
)
def test_bad_organisation_fields_are_422(client, settings, operator, body, loc):
    response = client.post("/organizations", json=body, headers=operator)
    assert response.status_code == 422 and response.json()["errors"][0]["loc"] == loc
    assert query(settings.database_url, "SELECT count(*) FROM organization") == [(1,)]


def test_a_local_opening_time_is_still_accepted(client, operator):
    response = client.post(
        "/services",
        json=schedule(opens_at="09:30", closes_at="17:00:00", valid_from="2026-01-01", valid_to="2026-01-01"),
        headers=operator,
    )
    assert response.status_code == 201, response.text
    assert response.json()["schedules"][0]["opens_at"].startswith("09:30")


def test_an_organisation_id_is_never_taken_as_a_service_id(client, settings, operator):
    """fuzz 12a-c: publish, update and status change with an organisation's id are 409, not 500."""
    published = client.post("/services", json=service_body(id=ORG), headers=operator)
    updated = client.put(f"/services/{ORG}", json=service_body(), headers=operator)
    status = client.post(f"/services/{ORG}/status", json={"status": "inactive"}, headers=operator)
    assert [r.status_code for r in (published, updated, status)] == [409, 409, 409]
    assert "organization" in status.json()["detail"]
    assert [t for t, _ in events(settings)] == ["OrganizationPublished"]
    assert query(settings.database_url, "SELECT count(*) FROM service") == [(0,)]


def test_a_service_id_is_never_taken_as_an_organisation_id(client, settings, operator):
    """PUT /organizations/<service id> used to append organisation events to the service's stream."""
    sid = client.post("/services", json=service_body(), headers=operator).json()["id"]
    updated = client.put(f"/organizations/{sid}", json={"name": "x", "description": "y"}, headers=operator)
    published = client.post("/organizations", json={"id": sid, "name": "x", "description": "y"}, headers=operator)
    assert (updated.status_code, published.status_code) == (409, 409)
    assert "service" in updated.json()["detail"]
    stream = query(
        settings.database_url, "SELECT aggregate_type, event_type FROM events WHERE aggregate_id = %s", (sid,)
    )
    assert stream == [("service", "ServicePublished")]
    assert query(settings.database_url, "SELECT count(*) FROM organization WHERE id = %s", (sid,)) == [(0,)]


def test_unknown_ids_of_either_kind_are_still_404(client, operator):
    unknown = uuid.uuid4()
    assert client.put(f"/services/{unknown}", json=service_body(), headers=operator).status_code == 404
    assert (
        client.put(f"/organizations/{unknown}", json={"name": "x", "description": "y"}, headers=operator).status_code
        == 404
    )


@pytest.mark.parametrize(
    "path", ["/services", "/service_at_locations", "/organizations", "/taxonomies", "/taxonomy_terms"]
)
@pytest.mark.parametrize("page", ["9223372036854775807", "1000001", "0"])
def test_page_numbers_beyond_the_limit_are_422(client, path, page):
    response = client.get(path, params={"page": page})
    assert response.status_code == 422 and response.json()["errors"][0]["loc"] == ["query", "page"]


def test_the_last_allowed_page_is_an_empty_oruk_page(client):
    page = client.get("/services", params={"page": 1_000_000, "per_page": 200}).json()
    assert page["page_number"] == 1_000_000 and page["empty"] is True and page["last_page"] is True


@pytest.mark.parametrize(
    "params, loc",
    [
        ({"modified_after": "0001-01-01T00:00:00+23:59"}, "modified_after"),  # fuzz 6c
        ({"modified_after": "9999-12-31T23:59:59-23:59"}, "modified_after"),
        ({"modified_after": "9999-12-31T23:59:59Z"}, "modified_after"),
        ({"modified_after": "20240101"}, "modified_after"),
        ({"modified_after": "1704067200"}, "modified_after"),
        ({"end_time": "10:00+16:00"}, "end_time"),  # fuzz 6g
        ({"start_time": "10:00Z"}, "start_time"),
        ({"search": "a\x00b"}, "search"),  # fuzz 4d / 4e: the NUL middleware
    ],
)
@pytest.mark.parametrize("path", ["/services", "/service_at_locations"])
def test_bad_filters_are_422(client, path, params, loc):
    response = client.get(path, params=params)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"] == ["query", loc]


def test_modified_after_takes_any_offset_within_range_and_compares_in_utc(client, operator):
    client.post("/services", json=service_body(), headers=operator)
    assert client.get("/services", params={"modified_after": "2020-01-01T05:00:00+15:59"}).json()["total_items"] == 1
    # beyond PostgreSQL's ±15:59, still a valid RFC 3339 instant: Instant normalises it to UTC
    assert client.get("/services", params={"modified_after": "2020-01-01T00:00:00+16:00"}).json()["total_items"] == 1
    assert client.get("/services", params={"modified_after": "2200-01-01T00:00:00Z"}).json()["total_items"] == 0
