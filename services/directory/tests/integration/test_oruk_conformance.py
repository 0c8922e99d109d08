"""Every read endpoint's answer validates against the published ORUK 3.0 JSON schemas."""

from __future__ import annotations


def test_api_metadata_names_version_profile_and_openapi(seeded_client):
    body = seeded_client.get("/").json()
    assert body["version"] == "3.0"
    assert body["profile"].startswith("https://") and body["openapi_url"].endswith("/openapi.json")


def test_services_page_conforms_to_oruk_service_list(seeded_client, oruk):
    page = seeded_client.get("/services", params={"per_page": 200}).json()
    assert page["total_items"] >= 60
    oruk.validate_page(page, "compiled/service_list.json")


def test_every_service_detail_conforms_to_oruk_fully_nested_service(seeded_client, oruk):
    for item in seeded_client.get("/services", params={"per_page": 200}).json()["contents"]:
        service = seeded_client.get(f"/services/{item['id']}").json()
        oruk.validate(service, "compiled/service.json")
    assert service["schedules"] and service["service_at_locations"] and service["attributes"]


def test_service_at_locations_page_and_detail_conform(seeded_client, oruk):
    page = seeded_client.get("/service_at_locations", params={"postcode": "NE1 4ST", "per_page": 10}).json()
    oruk.validate_page(page, "compiled/service_at_location_list.json")
    detail = seeded_client.get(f"/service_at_locations/{page['contents'][0]['id']}").json()
    oruk.validate(detail, "compiled/service_at_location.json")


def test_taxonomies_and_terms_conform(seeded_client, oruk):
    taxonomies = seeded_client.get("/taxonomies").json()
    oruk.validate_page(taxonomies, "taxonomy.json")
    oruk.validate(seeded_client.get(f"/taxonomies/{taxonomies['contents'][0]['id']}").json(), "taxonomy.json")
    terms = seeded_client.get("/taxonomy_terms", params={"per_page": 100}).json()
    oruk.validate_page(terms, "taxonomy_term.json")
    oruk.validate(seeded_client.get(f"/taxonomy_terms/{terms['contents'][0]['id']}").json(), "taxonomy_term.json")


def test_organizations_page_and_detail_conform(seeded_client, oruk):
    page = seeded_client.get("/organizations").json()
    oruk.validate_page(page, "compiled/organization_list.json")
    detail = seeded_client.get(f"/organizations/{page['contents'][0]['id']}").json()
    oruk.validate(detail, "compiled/organization.json")
    assert detail["services"]
