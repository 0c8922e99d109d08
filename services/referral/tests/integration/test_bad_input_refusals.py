"""Bad input found by fuzzing (fuzz/repro.sh 2a-2e, 4a, 4b, 5a and the README's suspects): each is a 422
naming the field, never a 5xx and never a 201, and nothing is stored."""

from __future__ import annotations

import pytest
from referral_testkit import CHANGING_LIVES, count, referral_body


def events(client) -> int:
    return count(client, "events")


def a_link_worker(client, token) -> str:
    return client.get("/link-workers", headers=token("operator")).json()[0]["link_worker_id"]


@pytest.mark.parametrize(
    "body, loc",
    [
        (referral_body(given_name="Jo\x00an"), ["body", "given_name"]),
        (referral_body(referrer={"name": "\x00", "role": "gp"}), ["body", "referrer", "name"]),
    ],
)
def test_a_referral_with_a_nul_character_is_422_and_nothing_is_stored(client, token, body, loc):
    before = events(client)
    answer = client.post("/referrals", json=body, headers=token())
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"] == [
        {"loc": loc, "msg": "NUL characters (U+0000) are not allowed", "type": "value_error"}
    ]
    assert events(client) == before and count(client, "referrals") == 0


@pytest.mark.parametrize(
    "method, path, body, loc",
    [
        ("POST", "/providers", {"name": "   "}, ["body", "name"]),
        ("POST", "/providers", {"name": "a\x00b"}, ["body", "name"]),
        ("POST", "/practices", {"ods_code": "Z99999", "name": " \t "}, ["body", "name"]),
        (
            "POST",
            "/practices",
            {"ods_code": "Z99999", "name": "New Surgery", "participating": "yes"},
            ["body", "participating"],
        ),
        (
            "POST",
            "/practices",
            {"ods_code": "Z99999", "name": "New Surgery", "participating": 1},
            ["body", "participating"],
        ),
        ("PATCH", "/practices/A85001", {"name": "  "}, ["body", "name"]),
        ("PATCH", "/practices/A85001", {"participating": "false"}, ["body", "participating"]),
        (
            "POST",
            "/link-workers",
            {"provider_id": str(CHANGING_LIVES), "display_name": "   ", "capacity": 5},
            ["body", "display_name"],
        ),
        (
            "POST",
            "/link-workers",
            {"provider_id": str(CHANGING_LIVES), "display_name": "Ann Lee", "capacity": True},
            ["body", "capacity"],
        ),
        (
            "POST",
            "/link-workers",
            {"provider_id": str(CHANGING_LIVES), "display_name": "Ann Lee", "capacity": "5"},
            ["body", "capacity"],
        ),
        (
            "POST",
            "/link-workers",
            {"provider_id": str(CHANGING_LIVES), "display_name": "Ann Lee", "capacity": 5.0},
            ["body", "capacity"],
        ),
        (
            "POST",
            "/link-workers",
            {"provider_id": str(CHANGING_LIVES), "display_name": "Ann Lee", "capacity": 5, "active": "yes"},
            ["body", "active"],
        ),
        ("PATCH", "/link-workers/{worker}", {"display_name": "\n"}, ["body", "display_name"]),
        ("PATCH", "/link-workers/{worker}", {"capacity": True}, ["body", "capacity"]),
        ("PATCH", "/link-workers/{worker}", {"active": "yes"}, ["body", "active"]),
        ("PATCH", "/link-workers/{worker}", {"display_name": "a\x00b"}, ["body", "display_name"]),
        ("PATCH", "/practices/%00", {"name": "x"}, ["path"]),
    ],
)
def test_bad_reference_data_is_422_and_changes_nothing(client, token, method, path, body, loc):
    path = path.format(worker=a_link_worker(client, token))
    before = events(client)
    answer = client.request(method, path, json=body, headers=token("operator"))
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["loc"] == loc
    assert events(client) == before


def test_reference_names_are_tidied_and_strict_types_still_accept_real_values(client, token):
    operator = token("operator")
    provider = client.post("/providers", json={"name": "  Age   UK  "}, headers=operator)
    assert provider.status_code == 201, provider.text
    worker = client.post(
        "/link-workers",
        json={"provider_id": provider.json()["provider_id"], "display_name": "Ann", "capacity": 0, "active": False},
        headers=operator,
    )
    assert worker.status_code == 201, worker.text
    names = [p["name"] for p in client.get("/providers", headers=operator).json()]
    assert "Age UK" in names


def test_a_decline_note_over_2000_characters_is_422(client, token):
    referral = client.post("/referrals", json=referral_body(), headers=token()).json()
    answer = client.post(
        f"/referrals/{referral['referral_id']}/decline",
        json={"reason": "not_interested", "note": "x" * 2001},
        headers=token(),
    )
    assert answer.status_code == 422 and answer.json()["errors"][0]["loc"] == ["body", "note"]


@pytest.mark.parametrize(
    "params, loc",
    [
        ({"page": "9223372036854775807"}, ["query", "page"]),  # 5a: bigint OFFSET
        ({"page": "1000001"}, ["query", "page"]),
        ({"page": "0"}, ["query", "page"]),
        ({"practice": "\x00"}, ["query", "practice"]),  # 4a
    ],
)
def test_bad_referral_list_queries_are_422(client, token, params, loc):
    answer = client.get("/referrals", params=params, headers=token("operator"))
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["loc"] == loc


def test_the_last_allowed_page_of_referrals_is_empty(client, token):
    answer = client.get("/referrals", params={"page": 1_000_000}, headers=token("operator"))
    assert answer.status_code == 200 and answer.json()["items"] == []
