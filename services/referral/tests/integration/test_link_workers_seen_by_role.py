"""A provider's staff (link workers' names, capacities, caseloads) is seen only as each role needs it
(docs/security.md §3.1): managers and link workers their own provider's (another provider's filter:
an empty list, as every referral list answers a filter outside the caller's scope), operators every
one, finance the names only (the ledger names them); referrers, services and auditors are refused.
A manager cannot change, or learn of, another provider's link worker. Practices and providers are
read by every role but the auditor."""

from __future__ import annotations

import pytest
from referral_testkit import CHANGING_LIVES

from referral.adapters.reference_seed import provider_id

FIRST_CONTACT = provider_id("First Contact Clinical")


def _workers(client, headers, **params) -> list[dict]:
    answer = client.get("/link-workers", params=params, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _one_of(client, token, provider) -> dict:
    return _workers(client, token("operator"), provider_id=str(provider))[0]


def test_an_operator_sees_every_providers_link_workers_with_capacity_and_caseload(client, token):
    workers = _workers(client, token("operator"))
    assert len(workers) == 40 and len({w["provider_id"] for w in workers}) == 4
    assert all(isinstance(w["capacity"], int) and isinstance(w["active_caseload"], int) for w in workers)


@pytest.mark.parametrize("role", ["provider_manager", "link_worker"])
def test_a_manager_or_link_worker_sees_only_their_own_providers_link_workers(client, token, role):
    scope = {"provider_id": str(CHANGING_LIVES)}
    if role == "link_worker":
        scope["link_worker_id"] = _one_of(client, token, CHANGING_LIVES)["link_worker_id"]
    headers = token(role, **scope)
    own = _workers(client, headers)
    assert len(own) == 10 and {w["provider_id"] for w in own} == {str(CHANGING_LIVES)}
    assert all(isinstance(w["capacity"], int) for w in own)
    assert _workers(client, headers, provider_id=str(CHANGING_LIVES)) == own
    assert _workers(client, headers, provider_id=str(FIRST_CONTACT)) == []


def test_finance_sees_every_link_workers_name_but_no_capacity_or_caseload(client, token):
    workers = _workers(client, token("finance"))
    assert len(workers) == 40 and all(w["display_name"] for w in workers)
    assert {(w["capacity"], w["active_caseload"]) for w in workers} == {(None, None)}


@pytest.mark.parametrize("role", ["referrer", "service", "auditor"])
def test_referrers_services_and_auditors_may_not_list_link_workers(client, token, role):
    answer = client.get("/link-workers", headers=token(role))
    assert answer.status_code == 403
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert "display_name" not in answer.text


def test_practices_and_providers_are_read_by_every_role_but_the_auditor(client, token):
    for role, scope in (("referrer", {}), ("finance", {}), ("service", {}), ("operator", {})):
        for path in ("/practices", "/providers"):
            assert client.get(path, headers=token(role, **scope)).status_code == 200, (role, path)
    for path in ("/practices", "/providers"):
        assert client.get(path, headers=token("auditor")).status_code == 403


def test_a_manager_cannot_change_another_providers_link_worker_nor_tell_it_exists(client, token):
    theirs = _one_of(client, token, FIRST_CONTACT)
    manager = token("provider_manager", provider_id=str(CHANGING_LIVES))
    answer = client.patch(f"/link-workers/{theirs['link_worker_id']}", json={"capacity": 0}, headers=manager)
    assert answer.status_code == 404  # as an unknown id: it is not theirs to know of
    assert _one_of(client, token, FIRST_CONTACT)["capacity"] == theirs["capacity"]
    own = _one_of(client, token, CHANGING_LIVES)
    changed = client.patch(f"/link-workers/{own['link_worker_id']}", json={"capacity": 7}, headers=manager)
    assert changed.status_code == 200 and changed.json()["capacity"] == 7


def test_link_workers_and_finance_may_not_change_link_workers(client, token):
    worker = _one_of(client, token, CHANGING_LIVES)
    for headers in (
        token("link_worker", provider_id=str(CHANGING_LIVES), link_worker_id=worker["link_worker_id"]),
        token("finance"),
    ):
        answer = client.patch(f"/link-workers/{worker['link_worker_id']}", json={"capacity": 0}, headers=headers)
        assert answer.status_code == 403
    assert _one_of(client, token, CHANGING_LIVES)["capacity"] == worker["capacity"]
