"""Bad input found by fuzzing (fuzz/repro.sh 3c, 3d, 4c, 5b, 6d, 6e, 6h and the README's suspects): each is
a 422 naming the field, never a 5xx, and nothing is stored. "Today" is 2024-09-02 (the fixed clock)."""

from __future__ import annotations

import pytest
from engagement_testkit import contact_body

from linkwell_runtime.testing import query


def event_count(settings) -> int:
    return query(settings.database_url, "SELECT count(*) FROM events")[0][0]


@pytest.fixture
def contacted_case(client, token, open_case):
    case_id = open_case()
    assert client.post(f"/cases/{case_id}/contacts", json=contact_body(), headers=token()).status_code == 201
    return case_id


def refused(client, settings, method: str, url: str, headers, body) -> list:
    before = event_count(settings)
    answer = client.request(method, url, json=body, headers=headers)
    assert answer.status_code == 422, answer.text
    assert event_count(settings) == before
    return [d["loc"] for d in answer.json()["errors"]]


@pytest.mark.parametrize(
    "occurred_at",
    [
        "0001-01-01T00:00:00Z",  # 6d/6e: local_date OverflowError
        "0001-01-01T00:00:00+23:59",
        "9999-12-31T23:59:59-23:59",  # overflow when converted to UTC
        "1899-12-31T23:59:59Z",
        "2024-06-05T10:00:00",  # before 1900; no offset
    ],
)
def test_contacts_and_attempts_at_impossible_instants_are_422(client, token, settings, open_case, occurred_at):
    case_id = open_case()
    for path, body in (
        ("contacts", contact_body(occurred_at=occurred_at)),
        ("contact-attempts", {"occurred_at": occurred_at}),
    ):
        assert refused(client, settings, "POST", f"/cases/{case_id}/{path}", token(), body) == [["body", "occurred_at"]]


def test_an_offset_beyond_postgresqls_range_is_stored_as_the_same_instant_in_utc(client, token, settings, open_case):
    """6h: +16:00 is a valid ISO 8601 offset that PostgreSQL refuses; Instant normalises it to UTC."""
    case_id = open_case()
    answer = client.post(
        f"/cases/{case_id}/contact-attempts", json={"occurred_at": "2024-06-05T10:00:00+16:00"}, headers=token()
    )
    assert answer.status_code == 201, answer.text
    stored = query(
        settings.database_url,
        "SELECT occurred_at FROM events WHERE aggregate_id = %s AND event_type = 'ContactAttemptFailed'",
        (str(case_id),),
    )
    assert stored[0][0].isoformat() == "2024-06-04T18:00:00+00:00"


def test_an_attended_contact_lasts_at_least_a_minute_but_a_did_not_attend_may_be_zero(
    client, token, settings, open_case
):
    case_id = open_case()
    assert refused(
        client, settings, "POST", f"/cases/{case_id}/contacts", token(), contact_body(duration_minutes=0)
    ) == [["body", "duration_minutes"]]
    dna = client.post(
        f"/cases/{case_id}/contacts", json=contact_body(duration_minutes=0, attended=False), headers=token()
    )
    assert dna.status_code == 201, dna.text
    assert (
        client.post(f"/cases/{case_id}/contacts", json=contact_body(duration_minutes=1), headers=token()).status_code
        == 201
    )


def test_an_extension_review_date_is_at_most_a_year_after_it_is_decided(client, token, settings, open_case):
    case_id = open_case()
    for review_on in ("9999-12-31", "2025-09-03"):
        assert refused(
            client,
            settings,
            "POST",
            f"/cases/{case_id}/extension",
            token(),
            {"reason": "settling", "review_on": review_on},
        ) == [["body", "review_on"]]
    assert (
        client.post(
            f"/cases/{case_id}/extension", json={"reason": "settling", "review_on": "2025-09-02"}, headers=token()
        ).status_code
        == 201
    )


def test_a_goal_target_date_is_at_most_two_years_after_it_is_agreed(client, token, settings, contacted_case):
    goal = {"description": "Walk to the park", "star_areas": ["lifestyle"], "agreed_on": "2024-09-02"}
    for target in ("9999-12-31", "2026-09-03"):
        assert refused(
            client, settings, "POST", f"/cases/{contacted_case}/goals", token(), goal | {"target_date": target}
        ) == [["body", "target_date"]]
    agreed = client.post(f"/cases/{contacted_case}/goals", json=goal | {"target_date": "2026-09-02"}, headers=token())
    assert agreed.status_code == 201, agreed.text
    revision = {
        "status": "revised",
        "replacement": {"description": "Smaller", "star_areas": ["lifestyle"], "target_date": "9999-12-31"},
    }
    assert refused(
        client, settings, "PATCH", f"/cases/{contacted_case}/goals/{agreed.json()['goal_id']}", token(), revision
    ) == [["body", "replacement", "target_date"]]


def test_every_free_text_field_is_capped_at_2000_characters(client, token, settings, contacted_case):
    long = "x" * 2001
    goal = client.post(
        f"/cases/{contacted_case}/goals", json={"description": "Walk", "star_areas": ["lifestyle"]}, headers=token()
    ).json()
    cases = [
        (
            "POST",
            f"/cases/{contacted_case}/contact-attempts",
            {"occurred_at": "2024-09-01T10:00:00Z", "note": long},
            ["body", "note"],
        ),
        (
            "POST",
            f"/cases/{contacted_case}/goals",
            {"description": long, "star_areas": ["lifestyle"]},
            ["body", "description"],
        ),
        (
            "PATCH",
            f"/cases/{contacted_case}/goals/{goal['goal_id']}",
            {"status": "in_progress", "note": "y" * 100_000},
            ["body", "note"],
        ),
        ("POST", f"/cases/{contacted_case}/extension", {"reason": long, "review_on": "2025-01-01"}, ["body", "reason"]),
    ]
    for method, url, body, loc in cases:
        assert refused(client, settings, method, url, token(), body) == [loc]
    assert "y" * 100 not in str(query(settings.database_url, "SELECT * FROM events"))


def test_nul_characters_in_notes_are_refused_by_the_shared_middleware(client, token, settings, open_case):
    case_id = open_case()
    assert refused(
        client,
        settings,
        "POST",
        f"/cases/{case_id}/contact-attempts",
        token(),
        {"occurred_at": "2024-09-01T10:00:00Z", "note": "a\x00b"},
    ) == [["body", "note"]]


@pytest.mark.parametrize(
    "params, loc",
    [
        ({"status": "anything"}, ["query", "status"]),  # used to answer 200 with nothing
        ({"status": "\x00"}, ["query", "status"]),  # 4c
        ({"page": "9223372036854775807"}, ["query", "page"]),  # 5b
        ({"page": "1000001"}, ["query", "page"]),
        ({"page": "0"}, ["query", "page"]),
    ],
)
def test_bad_case_list_queries_are_422(client, token, params, loc):
    answer = client.get("/cases", params=params, headers=token())
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["loc"] == loc


def test_case_list_filters_by_a_known_status_and_the_last_page_is_empty(client, token, contacted_case, open_case):
    allocated = open_case()
    listed = client.get("/cases", params={"status": "contacted"}, headers=token()).json()
    assert [c["case_id"] for c in listed["items"]] == [str(contacted_case)]
    assert [
        c["case_id"] for c in client.get("/cases", params={"status": "allocated"}, headers=token()).json()["items"]
    ] == [str(allocated)]
    assert client.get("/cases", params={"page": 1_000_000}, headers=token()).json()["items"] == []
