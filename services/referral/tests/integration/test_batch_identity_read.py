"""GET /referrals/identities: a list's names in one read, each patient's opening audited as
GET /referrals/{id} audits it, in the caller's scope only."""

from __future__ import annotations

import uuid

from referral_testkit import CHANGING_LIVES, OTHER_PRACTICE, VALID_NHS, count, referral_body, with_allocation

from linkwell_runtime.testing import cursor


def refer(client, token, nhs: str, given: str, **overrides) -> dict:
    practice = overrides.get("practice_ods_code", "A85001")
    body = referral_body(nhs_number=nhs, given_name=given, **overrides)
    answer = client.post("/referrals", json=body, headers=token(practice=practice))
    assert answer.status_code == 201, answer.text
    return answer.json()


def identities(client, headers, ids: list[str]):
    return client.get("/referrals/identities", params=[("referral_id", i) for i in ids], headers=headers)


def test_one_read_names_every_patient_in_scope_in_the_order_asked_with_one_audit_row_each(client, token):
    ours = [refer(client, token, nhs, given) for nhs, given in zip(VALID_NHS[:3], ["Joan", "Ada", "Ken"], strict=True)]
    theirs = refer(client, token, VALID_NHS[3], "Mary", practice_ods_code=OTHER_PRACTICE)
    asked = [ours[2]["referral_id"], theirs["referral_id"], str(uuid.uuid4()), ours[0]["referral_id"]]

    answer = identities(client, token(sub="dr-khan"), [*asked, ours[0]["referral_id"]])

    assert answer.status_code == 200, answer.text
    items = answer.json()["items"]
    assert [(i["referral_id"], i["patient"]["given_name"]) for i in items] == [
        (ours[2]["referral_id"], "Ken"),
        (ours[0]["referral_id"], "Joan"),
    ]
    assert items[0]["patient"]["nhs_number"] == VALID_NHS[2] and items[0]["patient"]["erased"] is False
    with cursor(client.app.state.settings.database_url) as cur:
        cur.execute("SELECT subject, action, referral_id::text FROM access_audit ORDER BY id")
        assert cur.fetchall() == [
            ("dr-khan", "read_identifiable", ours[2]["referral_id"]),
            ("dr-khan", "read_identifiable", ours[0]["referral_id"]),
        ]


def test_a_link_worker_gets_only_their_own_patients_and_other_roles_none(client, token):
    created = [
        with_allocation(client, token, refer(client, token, nhs, given))
        for nhs, given in zip(VALID_NHS[:2], ["Joan", "Ada"], strict=True)
    ]
    ids = [c["referral_id"] for c in created]
    worker = token("link_worker", provider_id=str(CHANGING_LIVES), link_worker_id=created[0]["link_worker_id"])
    mine = [i["referral_id"] for i in identities(client, worker, ids).json()["items"]]
    assert mine == [c["referral_id"] for c in created if c["link_worker_id"] == created[0]["link_worker_id"]]
    manager = token("provider_manager", provider_id=str(CHANGING_LIVES))
    assert [i["referral_id"] for i in identities(client, manager, ids).json()["items"]] == ids
    elsewhere = token("provider_manager", provider_id=str(uuid.uuid4()))
    assert identities(client, elsewhere, ids).json()["items"] == []
    audited = count(client, "access_audit")
    for role in ("operator", "finance", "service"):
        refused = identities(client, token(role), ids)
        assert refused.status_code == 403, (role, refused.text)
    assert count(client, "access_audit") == audited


def test_no_ids_too_many_or_a_malformed_one_is_refused_beside_the_parameter(client, token):
    assert identities(client, token(), []).status_code == 422
    too_many = identities(client, token(), [str(uuid.uuid4()) for _ in range(101)])
    assert too_many.status_code == 422
    assert too_many.json()["errors"][0]["loc"] == ["query", "referral_id"]
    assert identities(client, token(), ["not-a-uuid"]).status_code == 422
    assert count(client, "access_audit") == 0
