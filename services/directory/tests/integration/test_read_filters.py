"""Filters, pagination edges and 4xx of the public read API, on the 66 demo services."""

from __future__ import annotations

import math
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from directory.adapters.demo_data import TAXONOMY_ID, stable_id
from directory.adapters.postcodes import OUTCODE_CENTROIDS
from directory.domain.geography import haversine_metres


def services(client, **params) -> list[dict]:
    return client.get("/services", params={"per_page": 200, **params}).json()["contents"]


def full(client, item) -> dict:
    return client.get(f"/services/{item['id']}").json()


def test_search_matches_name_or_description_case_insensitively(seeded_client):
    found = services(seeded_client, search="WALKING")
    assert found and all("walking" in (s["name"] + s.get("description", "")).lower() for s in found)
    assert services(seeded_client, search="no such thing 100%") == []


def test_taxonomy_term_filter_includes_the_terms_below_it(seeded_client):
    walking = services(seeded_client, taxonomy_term_id=str(stable_id("term", "Walking groups")))
    physical = services(seeded_client, taxonomy_term_id=str(stable_id("term", "physical_activity")))
    assert walking and {s["id"] for s in walking} < {s["id"] for s in physical}
    assert all(s["name"].startswith("Walking group") for s in walking)


def test_taxonomy_id_filter_finds_services_tagged_with_any_of_its_terms(seeded_client):
    assert len(services(seeded_client, taxonomy_id=str(TAXONOMY_ID))) == 66
    assert services(seeded_client, taxonomy_id=str(uuid.uuid4())) == []


def test_minimum_age_is_at_least_and_maximum_age_at_most(seeded_client):
    at_least_40 = services(seeded_client, minimum_age=40)
    assert at_least_40 and all(s["minimum_age"] >= 40 for s in at_least_40)
    at_most_66 = services(seeded_client, maximum_age=66)
    assert at_most_66 and all(s["maximum_age"] <= 66 for s in at_most_66)


@pytest.mark.parametrize("day", ["SA", "saturday"])
def test_day_filter_finds_services_with_a_schedule_that_day(seeded_client, day):
    found = services(seeded_client, day=day)
    assert found
    for item in found:
        assert any("SA" in s["byday"].split(",") for s in full(seeded_client, item)["schedules"])


def test_time_window_needs_one_schedule_opening_and_closing_inside_it(seeded_client):
    found = services(seeded_client, start_time="18:00", end_time="21:00")
    assert found
    for item in found:
        assert any(
            s["opens_at"] >= "18:00:00" and s["closes_at"] <= "21:00:00" for s in full(seeded_client, item)["schedules"]
        )
    evening = {s["id"] for s in services(seeded_client, start_time="18:00")}
    assert {s["id"] for s in found} <= evening


def test_organization_and_modified_after_filters(seeded_client):
    org = stable_id("org", "Active Tyneside")
    found = services(seeded_client, organization_id=str(org))
    assert found and all(s["organization_id"] == str(org) for s in found)
    assert services(seeded_client, modified_after=(datetime.now(UTC) + timedelta(hours=1)).isoformat()) == []
    assert len(services(seeded_client, modified_after="2020-01-01T00:00:00Z")) == 66


def test_pages_walk_every_service_once_with_a_consistent_envelope(seeded_client):
    seen, page_number = [], 1
    while True:
        page = seeded_client.get("/services", params={"page": page_number, "per_page": 25}).json()
        assert page["total_items"] == 66 and page["total_pages"] == 3 and page["page_number"] == page_number
        assert page["first_page"] == (page_number == 1) and page["size"] == len(page["contents"])
        seen += [s["id"] for s in page["contents"]]
        if page["last_page"]:
            break
        page_number += 1
    assert len(seen) == len(set(seen)) == 66 and page["size"] == 16


def test_page_past_the_end_is_empty_not_an_error(seeded_client):
    page = seeded_client.get("/services", params={"page": 9, "per_page": 25}).json()
    assert page["contents"] == [] and page["empty"] is True and page["size"] == 0
    assert page["last_page"] is True and page["total_items"] == 66


@pytest.mark.parametrize(
    "params, field",
    [
        ({"per_page": 0}, "per_page"),
        ({"per_page": 201}, "per_page"),
        ({"page": 0}, "page"),
        ({"page": "two"}, "page"),
        ({"taxonomy_term_id": "not-a-uuid"}, "taxonomy_term_id"),
        ({"minimum_age": -1}, "minimum_age"),
        ({"day": "funday"}, "day"),
        ({"start_time": "25:00"}, "start_time"),
        ({"modified_after": "yesterday"}, "modified_after"),
        ({"modified_after": "2026-01-01T00:00:00"}, "modified_after"),
    ],
)
def test_bad_query_is_422_naming_the_field(seeded_client, params, field):
    response = seeded_client.get("/services", params=params)
    assert response.status_code == 422
    assert any(d["loc"][-1] == field for d in response.json()["errors"])


@pytest.mark.parametrize(
    "path", ["/services", "/service_at_locations", "/taxonomies", "/taxonomy_terms", "/organizations"]
)
def test_unknown_id_is_404_and_malformed_id_422(seeded_client, path):
    assert seeded_client.get(f"{path}/{uuid.uuid4()}").status_code == 404
    assert seeded_client.get(f"{path}/nope").status_code == 422


def test_service_at_locations_near_a_postcode_come_nearest_first_within_proximity(seeded_client):
    page = seeded_client.get(
        "/service_at_locations", params={"postcode": "ne6 2fa", "proximity": 2000, "per_page": 200}
    ).json()
    lat, lon, _ = OUTCODE_CENTROIDS["NE6"]
    distances = [s["distance"] for s in page["contents"]]
    assert distances and distances == sorted(distances) and max(distances) <= 2000
    for item in page["contents"]:
        expected = haversine_metres(lat, lon, item["location"]["latitude"], item["location"]["longitude"])
        assert math.isclose(item["distance"], expected, abs_tol=1)
    everything = seeded_client.get("/service_at_locations", params={"postcode": "NE6", "per_page": 200}).json()
    assert everything["total_items"] == 66 > page["total_items"]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"postcode": "SW1A 1AA"}, "postcode"),
        ({"postcode": "!!"}, "postcode"),
        ({"postcode": "NE1", "proximity": -5}, "proximity"),
        ({"proximity": 100}, "proximity"),
    ],
)
def test_unknown_postcode_or_bad_proximity_is_422(seeded_client, params, field):
    response = seeded_client.get("/service_at_locations", params=params)
    assert response.status_code == 422
    assert any(d["loc"][-1] == field for d in response.json()["errors"])


def test_service_at_locations_take_the_service_filters_too(seeded_client):
    term = stable_id("term", "Debt advice")
    page = seeded_client.get("/service_at_locations", params={"taxonomy_term_id": str(term)}).json()
    assert page["total_items"] == 3 and all("Debt advice" in s["service"]["name"] for s in page["contents"])


def test_cost_is_oruk_amount_in_pounds(seeded_client):
    gym = services(seeded_client, search="Gyms at")[0]
    assert full(seeded_client, gym)["cost_options"][0]["amount"] == 2.5
