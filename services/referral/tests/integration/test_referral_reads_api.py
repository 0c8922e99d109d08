"""GET /referrals and /referrals/{id}: role scoping, identifiable fields, audit, filters, pages."""

from __future__ import annotations

import uuid

from referral_testkit import CHANGING_LIVES, OTHER_PRACTICE, VALID_NHS, count, referral_body, with_allocation

from linkwell_runtime.testing import cursor


def refer(client, token, nhs: str, **overrides) -> dict:
    practice = overrides.get("practice_ods_code", "A85001")
    answer = client.post(
        "/referrals", json=referral_body(nhs_number=nhs, **overrides), headers=token(practice=practice)
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_referrer_of_the_practice_sees_identifiable_fields_and_the_read_is_audited(client, token):
    created = refer(client, token, VALID_NHS[0])
    view = client.get(f"/referrals/{created['referral_id']}", headers=token(sub="dr-khan"))
    assert view.status_code == 200
    patient = view.json()["patient"]
    assert (patient["nhs_number"], patient["family_name"], patient["postcode"]) == ("9434765919", "Robson", "NE4 6QA")
    with cursor(client.app.state.settings.database_url) as cur:
        cur.execute("SELECT subject, role, action, referral_id::text FROM access_audit")
        assert cur.fetchall() == [("dr-khan", "referrer", "read_identifiable", created["referral_id"])]


def test_allocated_link_worker_and_their_provider_manager_see_identity_finance_and_operator_never(client, token):
    created = with_allocation(client, token, refer(client, token, VALID_NHS[0]))
    path = f"/referrals/{created['referral_id']}"
    worker = token("link_worker", provider_id=str(CHANGING_LIVES), link_worker_id=created["link_worker_id"])
    manager = token("provider_manager", provider_id=str(CHANGING_LIVES))
    assert client.get(path, headers=worker).json()["patient"]["given_name"] == "Joan"
    assert client.get(path, headers=manager).json()["patient"]["given_name"] == "Joan"
    view = client.get(path, headers=token("operator"))
    assert view.status_code == 200
    assert view.json()["patient"] is None
    assert "Joan" not in view.text
    assert client.get(path, headers=token("finance")).status_code == 403  # finance reads outcomes, not referrals
    assert count(client, "access_audit") == 2


def test_referral_outside_the_callers_scope_is_404_as_is_an_unknown_id(client, token):
    created = refer(client, token, VALID_NHS[0])
    path = f"/referrals/{created['referral_id']}"
    assert client.get(path, headers=token(practice=OTHER_PRACTICE)).status_code == 404
    other_worker = token("link_worker", provider_id=str(CHANGING_LIVES), link_worker_id=str(uuid.uuid4()))
    assert client.get(path, headers=other_worker).status_code == 404
    assert client.get(path, headers=token("provider_manager", provider_id=str(uuid.uuid4()))).status_code == 404
    assert client.get(f"/referrals/{uuid.uuid4()}", headers=token()).status_code == 404
    assert client.get("/referrals/not-a-uuid", headers=token()).status_code == 422
    assert count(client, "access_audit") == 0


def test_lists_are_scoped_by_role_filtered_and_paginated(client, token):
    ours = [with_allocation(client, token, refer(client, token, nhs)) for nhs in VALID_NHS[:3]]
    theirs = with_allocation(client, token, refer(client, token, VALID_NHS[3], practice_ods_code=OTHER_PRACTICE))
    refer(client, token, VALID_NHS[4], date_of_birth="1999-01-01")  # ineligible, our practice

    mine = client.get("/referrals", headers=token()).json()
    assert mine["total"] == 4 and all(i["practice_ods_code"] == "A85001" for i in mine["items"])
    assert "patient" not in mine["items"][0]
    assert client.get("/referrals", params={"practice": OTHER_PRACTICE}, headers=token()).json()["total"] == 0

    everyone = client.get("/referrals", headers=token("operator")).json()
    assert everyone["total"] == 5
    assert client.get("/referrals", params={"status": "ineligible"}, headers=token("operator")).json()["total"] == 1
    by_provider = client.get("/referrals", params={"provider_id": theirs["provider_id"]}, headers=token("operator"))
    assert [i["referral_id"] for i in by_provider.json()["items"]] == [theirs["referral_id"]]

    pages = [
        client.get("/referrals", params={"page": p, "page_size": 2}, headers=token("operator")).json()
        for p in (1, 2, 3)
    ]
    assert [len(p["items"]) for p in pages] == [2, 2, 1]
    assert [i["referral_id"] for p in pages for i in p["items"]] == [i["referral_id"] for i in everyone["items"]]

    worker_id = ours[0]["link_worker_id"]
    worker = token("link_worker", provider_id=str(CHANGING_LIVES), link_worker_id=worker_id)
    caseload = client.get("/referrals", headers=worker).json()
    assert {i["link_worker_id"] for i in caseload["items"]} == {worker_id}
    assert client.get("/referrals", params={"status": "nonsense"}, headers=worker).status_code == 422
    assert client.get("/referrals", params={"page": 0}, headers=worker).status_code == 422
