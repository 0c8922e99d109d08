"""Business dates before the programme's start (2015-04-01, `contracts.programme`; docs/domain.md
§4.1, §6.1) are refused where they are entered: 422 naming the field, nothing stored, whatever the
case's state. The start itself is accepted (issue 13, item 8).

The case here opened on 2015-03-02, before the start (as one entered before the refusal existed may
have), so only the programme's start refuses the day before it. "Today" is 2024-09-02."""

from __future__ import annotations

from datetime import date

import pytest
from engagement_testkit import COLLEAGUE, SCORES, SERVICE, contact_body

from contracts.programme import BEFORE_PROGRAMME_START
from linkwell_runtime.testing import query

START, EVE = "2015-04-01", "2015-03-31"
FIRST_MOMENT = "2015-03-31T23:00:00Z"  # 00:00 on 1 April 2015 in London (BST)
LAST_MOMENT_BEFORE = "2015-03-31T22:59:59Z"  # 23:59:59 on 31 March in London


def event_count(settings) -> int:
    return query(settings.database_url, "SELECT count(*) FROM events")[0][0]


def created(answer, status: int = 201) -> dict:
    assert answer.status_code == status, answer.text
    return answer.json()


@pytest.fixture
def worked_case(client, token, open_case) -> dict[str, str]:
    """A case opened before the start with a contact, goal, Star and linkage on the start day."""
    case_id, headers = open_case(allocated_on=date(2015, 3, 2)), token()
    created(client.post(f"/cases/{case_id}/contacts", json=contact_body(occurred_at=FIRST_MOMENT), headers=headers))
    goal = created(
        client.post(
            f"/cases/{case_id}/goals",
            json={"description": "Walk", "star_areas": ["lifestyle"], "agreed_on": START, "target_date": START},
            headers=headers,
        )
    )
    star = created(client.post(f"/cases/{case_id}/stars", json={"taken_on": START, "scores": SCORES}, headers=headers))
    linkage = created(
        client.post(
            f"/cases/{case_id}/linkages",
            json={"service_id": str(SERVICE), "category": "physical_activity", "made_on": START},
            headers=headers,
        )
    )
    return {
        "case": f"/cases/{case_id}",
        "goal": goal["goal_id"],
        "star": star["star_id"],
        "linkage": linkage["linkage_id"],
    }


REFUSED = [
    # (method, path under the case, body, the field named, role)
    ("POST", "/contacts", contact_body(occurred_at=LAST_MOMENT_BEFORE), ["occurred_at"], "link_worker"),
    ("POST", "/contact-attempts", {"occurred_at": "2007-05-01T10:00:00Z"}, ["occurred_at"], "link_worker"),
    ("POST", "/goals", {"description": "Swim", "star_areas": ["lifestyle"], "agreed_on": EVE}, ["agreed_on"], None),
    (
        "POST",
        "/goals",
        {"description": "Swim", "star_areas": ["lifestyle"], "agreed_on": START, "target_date": EVE},
        ["target_date"],
        None,
    ),
    ("PATCH", "/goals/{goal}", {"status": "in_progress", "on": EVE}, ["on"], None),
    (
        "PATCH",
        "/goals/{goal}",
        {
            "status": "revised",
            "on": START,
            "replacement": {"description": "Swim", "star_areas": ["lifestyle"], "target_date": EVE},
        },
        ["replacement", "target_date"],
        None,
    ),
    ("POST", "/stars", {"taken_on": EVE, "scores": SCORES}, ["taken_on"], None),
    (
        "POST",
        "/stars/{star}/correction",
        {"scores": SCORES | {"money": 9}, "reason": "typo", "corrected_on": EVE},
        ["corrected_on"],
        None,
    ),
    ("POST", "/stars/{star}/void", {"reason": "wrong patient", "voided_on": EVE}, ["voided_on"], None),
    ("POST", "/linkages", {"service_id": str(SERVICE), "category": "arts", "made_on": EVE}, ["made_on"], None),
    ("PATCH", "/linkages/{linkage}", {"status": "referred", "on": EVE}, ["on"], None),
    ("POST", "/extension", {"reason": "r", "extended_on": EVE, "review_on": "2015-06-01"}, ["extended_on"], None),
    ("POST", "/extension", {"reason": "r", "review_on": EVE}, ["review_on"], None),
    ("POST", "/discharge", {"reason": "goals_met", "discharged_on": EVE}, ["discharged_on"], None),
    (
        "POST",
        "/reassignment",
        {"link_worker_id": str(COLLEAGUE), "reassigned_on": EVE},
        ["reassigned_on"],
        "provider_manager",
    ),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "field", "role"),
    REFUSED,
    ids=[f"{m} {p} {'.'.join(f)}" for m, p, _, f, _r in REFUSED],
)
def test_a_date_before_the_programmes_start_is_422_naming_the_field_and_nothing_is_stored(
    client, token, settings, worked_case, method, path, body, field, role
):
    before = event_count(settings)
    url = worked_case["case"] + path.format(**worked_case)
    answer = client.request(method, url, json=body, headers=token(role or "link_worker"))
    assert answer.status_code == 422, answer.text
    assert [(e["loc"], e["msg"]) for e in answer.json()["errors"]] == [(["body", *field], BEFORE_PROGRAMME_START)]
    assert event_count(settings) == before


def test_a_case_opened_after_the_start_refuses_an_earlier_day_with_the_same_422(client, token, settings, open_case):
    """Before, a Star dated before the first contact was a 409 (the case's history); a day before the
    programme is malformed whatever the case holds."""
    case_id = open_case()  # allocated 2024-06-03
    created(client.post(f"/cases/{case_id}/contacts", json=contact_body(), headers=token()))
    before = event_count(settings)
    answer = client.post(f"/cases/{case_id}/stars", json={"taken_on": "2007-05-01", "scores": SCORES}, headers=token())
    assert answer.status_code == 422, answer.text
    assert [e["loc"] for e in answer.json()["errors"]] == [["body", "taken_on"]]
    assert event_count(settings) == before


def test_every_date_on_the_programmes_first_day_is_accepted(client, token, worked_case):
    case, headers, manager = worked_case["case"], token(), token("provider_manager")
    created(client.post(f"{case}/contact-attempts", json={"occurred_at": FIRST_MOMENT}, headers=headers))
    created(
        client.patch(f"{case}/goals/{worked_case['goal']}", json={"status": "achieved", "on": START}, headers=headers),
        200,
    )
    fixed = {"scores": SCORES | {"money": 9}, "reason": "typo", "corrected_on": START}
    created(client.post(f"{case}/stars/{worked_case['star']}/correction", json=fixed, headers=headers))
    created(
        client.post(
            f"{case}/stars/{worked_case['star']}/void", json={"reason": "r", "voided_on": START}, headers=headers
        )
    )
    moved = {"status": "referred", "on": START}
    created(client.patch(f"{case}/linkages/{worked_case['linkage']}", json=moved, headers=headers), 200)
    extension = {"reason": "r", "extended_on": START, "review_on": "2015-04-02"}
    created(client.post(f"{case}/extension", json=extension, headers=headers))
    reassigned = {"link_worker_id": str(COLLEAGUE), "reassigned_on": START}
    created(client.post(f"{case}/reassignment", json=reassigned, headers=manager))
    discharged = created(
        client.post(f"{case}/discharge", json={"reason": "goals_met", "discharged_on": START}, headers=manager)
    )
    assert discharged["discharged_on"] == START
