"""Least privilege on referrals (docs/security.md): every role against another organisation's
referrals (reads, lists with widening filters, nested ids), no clinical content for operators and
services, nothing referral-level for finance, and no way for a practice to learn that its patient is
known to the programme through another practice."""

from __future__ import annotations

import uuid

from referral_testkit import CHANGING_LIVES, OTHER_PRACTICE, PRACTICE, VALID_NHS, count, referral_body, with_allocation

from linkwell_runtime.testing import query


def refer(client, token, nhs: str = VALID_NHS[0], practice: str = PRACTICE, **overrides) -> dict:
    body = referral_body(nhs_number=nhs, practice_ods_code=practice, **overrides)
    answer = client.post("/referrals", json=body, headers=token(practice=practice))
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_nobody_reaches_another_organisations_referral_through_any_route(client, token):
    ours = refer(client, token)
    path = f"/referrals/{ours['referral_id']}"
    outsiders = [
        token(practice=OTHER_PRACTICE),
        token("link_worker", provider_id=str(CHANGING_LIVES), link_worker_id=str(uuid.uuid4())),
        token("provider_manager", provider_id=str(uuid.uuid4())),
    ]
    for outsider in outsiders:
        assert client.get(path, headers=outsider).status_code == 404
        assert client.get(f"{path}/discharge-summary", headers=outsider).status_code == 404
        for route, body in (
            ("decline", {"reason": "other"}),
            ("patient-details", {"reason": "changed", "phone": "01914960111"}),
            ("practice", {"practice_ods_code": OTHER_PRACTICE}),
        ):
            answer = client.post(f"{path}/{route}", json=body, headers=outsider)
            assert answer.status_code == 404, (route, answer.text)
            assert "Joan" not in answer.text
    assert count(client, "access_audit") == 0
    assert client.get(path, headers=token("operator")).json()["status"] == "allocated"  # nothing changed


def test_list_filters_never_widen_the_callers_scope(client, token):
    ours = with_allocation(client, token, refer(client, token))
    theirs = with_allocation(client, token, refer(client, token, VALID_NHS[1], practice=OTHER_PRACTICE))
    other_provider = theirs["provider_id"]
    for params in (
        {"practice": OTHER_PRACTICE},
        {"provider_id": other_provider},
        {"link_worker_id": theirs["link_worker_id"]},
    ):
        listed = client.get("/referrals", params=params, headers=token()).json()
        assert theirs["referral_id"] not in [i["referral_id"] for i in listed["items"]], params
    manager = token("provider_manager", provider_id=str(CHANGING_LIVES))
    for params in ({"provider_id": other_provider}, {"practice": OTHER_PRACTICE}, {}):
        listed = client.get("/referrals", params=params, headers=manager).json()
        assert [i["referral_id"] for i in listed["items"]] in ([], [ours["referral_id"]]), params
    unfiltered = client.get("/referrals", headers=manager).json()
    assert [i["referral_id"] for i in unfiltered["items"]] == [ours["referral_id"]]  # its own, not nothing
    worker = token("link_worker", provider_id=str(CHANGING_LIVES), link_worker_id=ours["link_worker_id"])
    listed = client.get("/referrals", params={"link_worker_id": theirs["link_worker_id"]}, headers=worker).json()
    assert listed["total"] == 0


def test_a_provider_manager_sees_its_queue_but_not_the_ineligible_referrals_of_its_practices(client, token):
    eligible = refer(client, token)
    ineligible = refer(client, token, VALID_NHS[1], date_of_birth="1999-01-01")
    manager = token("provider_manager", provider_id=str(CHANGING_LIVES))
    assert client.get(f"/referrals/{eligible['referral_id']}", headers=manager).status_code == 200
    assert client.get(f"/referrals/{ineligible['referral_id']}", headers=manager).status_code == 404
    listed = client.get("/referrals", headers=manager).json()
    assert [i["referral_id"] for i in listed["items"]] == [eligible["referral_id"]]


def test_operators_and_services_see_referrals_without_identity_or_clinical_content(client, token):
    created = refer(client, token)
    client.post(f"/referrals/{created['referral_id']}/decline", json={"reason": "other"}, headers=token())
    for role in ("operator", "service"):
        one = client.get(f"/referrals/{created['referral_id']}", headers=token(role))
        assert one.status_code == 200, one.text
        shown = one.json()
        assert shown["patient"] is None and shown["discharge_summary"] is None
        assert (shown["conditions"], shown["mental_health"], shown["eligibility"]["reasons"]) == (None, None, None)
        assert "type2_diabetes" not in one.text and "anxiety" not in one.text
        listed = client.get("/referrals", headers=token(role))
        assert listed.status_code == 200 and "type2_diabetes" not in listed.text and "anxiety" not in listed.text
        summary = client.get(f"/referrals/{created['referral_id']}/discharge-summary", headers=token(role))
        assert summary.status_code == 403
    summary = client.get(f"/referrals/{created['referral_id']}/discharge-summary", headers=token())
    assert summary.status_code == 200 and summary.json()["decline_reason"] == "other"


def test_finance_reads_no_referral_at_all(client, token):
    created = refer(client, token)
    finance = token("finance")
    for path in ("/referrals", "/referrals/unserved", f"/referrals/{created['referral_id']}"):
        assert client.get(path, headers=finance).status_code == 403, path
    assert client.get(f"/referrals/{created['referral_id']}/discharge-summary", headers=finance).status_code == 403


def test_a_practice_is_never_shown_the_platform_patient_id_or_another_practices_referral(client, token):
    first = refer(client, token, practice=OTHER_PRACTICE)
    first_provider = with_allocation(client, token, first)["provider_id"]
    second = refer(client, token, practice=PRACTICE)
    assert second["patient_id"] != first["patient_id"]  # each practice has its own id of the patient
    platform = {
        row[0] for row in query(client.app.state.settings.database_url, "SELECT patient_id::text FROM referrals")
    }
    assert len(platform) == 1 and not platform & {first["patient_id"], second["patient_id"]}
    shown = client.get(f"/referrals/{second['referral_id']}", headers=token())
    assert shown.json()["patient_id"] == second["patient_id"]
    for leak in (first["referral_id"], OTHER_PRACTICE, first_provider, *platform):
        assert leak not in shown.text and leak not in str(second)
    listed = client.get("/referrals", headers=token()).text
    assert first["referral_id"] not in listed and not any(p in listed for p in platform)


def test_a_practice_keeps_one_id_for_its_own_patient_across_referrals(client, token):
    first = refer(client, token)
    client.post(f"/referrals/{first['referral_id']}/decline", json={"reason": "other"}, headers=token())
    again = refer(client, token)
    assert again["patient_id"] == first["patient_id"]
    summary = client.get(f"/referrals/{first['referral_id']}/discharge-summary", headers=token()).json()
    assert summary["patient_id"] == first["patient_id"]


def test_every_opening_of_identity_is_audited_with_the_request_id(client, token):
    created = refer(client, token)
    request_id = str(uuid.uuid4())
    client.get(f"/referrals/{created['referral_id']}", headers=token(sub="dr-khan") | {"X-Request-ID": request_id})
    rows = query(
        client.app.state.settings.database_url,
        "SELECT subject, role, action, referral_id::text, request_id::text FROM access_audit",
    )
    assert rows == [("dr-khan", "referrer", "read_identifiable", created["referral_id"], request_id)]
