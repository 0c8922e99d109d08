"""Back-entered case histories over HTTP: goals, linkages, extensions and Star corrections/voids carry
the day they happened (default today); a date in the future or before what it changes is 422."""

from __future__ import annotations

import pytest
from engagement_testkit import SCORES, SERVICE, contact_body

from linkwell_runtime.testing import query


def payload_dates(settings, case_id, event_type: str, field: str) -> list[str]:
    return [
        r[0]
        for r in query(
            settings.database_url,
            "SELECT envelope->'payload'->>%s FROM events WHERE aggregate_id = %s"
            " AND event_type = %s ORDER BY aggregate_version",
            (field, str(case_id), event_type),
        )
    ]


@pytest.fixture
def contacted_case(client, token, open_case):
    case_id = open_case()  # allocated 2024-06-03; "today" is 2024-09-02
    assert client.post(f"/cases/{case_id}/contacts", json=contact_body(), headers=token()).status_code == 201
    return case_id  # first attended contact 2024-06-05


def test_a_case_entered_after_the_fact_keeps_its_dates_and_is_discharged_on_its_historic_date(
    client, token, contacted_case, settings
):
    case_id, headers = contacted_case, token()
    goal = client.post(
        f"/cases/{case_id}/goals",
        headers=headers,
        json={
            "description": "Walk to the park",
            "star_areas": ["lifestyle"],
            "agreed_on": "2024-06-05",
            "target_date": "2024-07-01",
        },
    )
    assert goal.status_code == 201, goal.text
    assert goal.json()["agreed_on"] == "2024-06-05"
    goal_id = goal.json()["goal_id"]
    revised = client.patch(
        f"/cases/{case_id}/goals/{goal_id}",
        headers=headers,
        json={
            "status": "revised",
            "on": "2024-06-12",
            "replacement": {
                "description": "Walk round the block",
                "star_areas": ["lifestyle"],
                "target_date": "2024-06-30",
            },
        },
    )
    assert revised.status_code == 200, revised.text
    linkage = client.post(
        f"/cases/{case_id}/linkages",
        headers=headers,
        json={"service_id": str(SERVICE), "category": "physical_activity", "made_on": "2024-06-05"},
    )
    assert linkage.status_code == 201, linkage.text
    linkage_id = linkage.json()["linkage_id"]
    for status, on in (("referred", "2024-06-06"), ("attended", "2024-06-20")):
        moved = client.patch(
            f"/cases/{case_id}/linkages/{linkage_id}", headers=headers, json={"status": status, "on": on}
        )
        assert moved.status_code == 200, moved.text
    star_id = client.post(
        f"/cases/{case_id}/stars", json={"taken_on": "2024-06-05", "scores": SCORES}, headers=headers
    ).json()["star_id"]
    fixed = client.post(
        f"/cases/{case_id}/stars/{star_id}/correction",
        headers=headers,
        json={"scores": SCORES | {"money": 9}, "reason": "typo", "corrected_on": "2024-06-07"},
    )
    assert fixed.status_code == 201 and fixed.json()["corrected_on"] == "2024-06-07"
    extended = client.post(
        f"/cases/{case_id}/extension",
        headers=headers,
        json={"reason": "settling", "extended_on": "2024-06-21", "review_on": "2024-06-28"},
    )
    assert extended.status_code == 201 and extended.json()["extended_on"] == "2024-06-21"
    gone = client.post(
        f"/cases/{case_id}/discharge", json={"discharged_on": "2024-06-30", "reason": "goals_met"}, headers=headers
    )
    assert gone.status_code == 201, gone.text

    assert payload_dates(settings, case_id, "GoalAgreed", "agreed_on") == ["2024-06-05", "2024-06-12"]
    assert payload_dates(settings, case_id, "GoalUpdated", "on") == ["2024-06-12"]
    assert payload_dates(settings, case_id, "LinkageMade", "made_on") == ["2024-06-05"]
    assert payload_dates(settings, case_id, "LinkageUpdated", "on") == ["2024-06-06", "2024-06-20"]
    assert payload_dates(settings, case_id, "WellbeingStarCorrected", "corrected_on") == ["2024-06-07"]
    assert payload_dates(settings, case_id, "CaseExtended", "extended_on") == ["2024-06-21"]
    view = client.get(f"/cases/{case_id}", headers=headers).json()
    assert [g["agreed_on"] for g in view["goals"]] == ["2024-06-05", "2024-06-12"]
    assert view["discharge"] == {"discharged_on": "2024-06-30", "reason": "goals_met"}


def test_without_a_date_the_server_dates_it_today(client, token, contacted_case, settings):
    goal = client.post(
        f"/cases/{contacted_case}/goals", json={"description": "d", "star_areas": ["money"]}, headers=token()
    )
    assert goal.json()["agreed_on"] == "2024-09-02"
    made = client.post(
        f"/cases/{contacted_case}/linkages", json={"service_id": str(SERVICE), "category": "arts"}, headers=token()
    )
    assert made.json()["made_on"] == "2024-09-02"
    assert payload_dates(settings, contacted_case, "LinkageMade", "made_on") == ["2024-09-02"]


@pytest.mark.parametrize(
    "agreed_on,target_date,field",
    [
        ("2024-09-03", None, "agreed_on"),
        ("2024-06-04", None, "agreed_on"),
        ("2024-05-01", None, "agreed_on"),
        ("2024-06-10", "2024-06-09", "target_date"),
    ],
    ids=["future", "before_first_contact", "before_opening", "target_before_agreed"],
)
def test_a_goal_dated_in_the_future_or_before_the_case_is_422_naming_the_field(
    client, token, contacted_case, agreed_on, target_date, field
):
    answer = client.post(
        f"/cases/{contacted_case}/goals",
        headers=token(),
        json={"description": "d", "star_areas": ["money"], "agreed_on": agreed_on, "target_date": target_date},
    )
    assert answer.status_code == 422, answer.text
    assert [d["loc"] for d in answer.json()["errors"]] == [["body", field]]


def test_updates_dated_in_the_future_or_before_what_they_change_are_422(client, token, contacted_case, settings):
    headers = token()
    goal_id = client.post(
        f"/cases/{contacted_case}/goals",
        headers=headers,
        json={"description": "d", "star_areas": ["money"], "agreed_on": "2024-06-10"},
    ).json()["goal_id"]
    linkage_id = client.post(
        f"/cases/{contacted_case}/linkages",
        headers=headers,
        json={"service_id": str(SERVICE), "category": "arts", "made_on": "2024-06-10"},
    ).json()["linkage_id"]
    before = query(settings.database_url, "SELECT count(*) FROM events")[0][0]
    for on in ("2024-06-09", "2024-09-03"):
        for path, status in ((f"goals/{goal_id}", "achieved"), (f"linkages/{linkage_id}", "referred")):
            answer = client.patch(f"/cases/{contacted_case}/{path}", headers=headers, json={"status": status, "on": on})
            assert answer.status_code == 422, answer.text
            assert answer.json()["errors"][0]["loc"] == ["body", "on"]
    made = client.post(
        f"/cases/{contacted_case}/linkages",
        headers=headers,
        json={"service_id": str(SERVICE), "category": "arts", "made_on": "2024-06-04"},
    )
    assert made.status_code == 422 and made.json()["errors"][0]["loc"] == ["body", "made_on"]
    not_a_date = client.patch(
        f"/cases/{contacted_case}/goals/{goal_id}", headers=headers, json={"status": "achieved", "on": "last tuesday"}
    )
    assert not_a_date.status_code == 422
    assert query(settings.database_url, "SELECT count(*) FROM events")[0][0] == before


def test_corrections_voids_and_extensions_out_of_range_are_422(client, token, contacted_case):
    headers = token()
    star_id = client.post(
        f"/cases/{contacted_case}/stars", json={"taken_on": "2024-06-10", "scores": SCORES}, headers=headers
    ).json()["star_id"]
    early = client.post(
        f"/cases/{contacted_case}/stars/{star_id}/correction",
        headers=headers,
        json={"scores": SCORES | {"money": 1}, "reason": "typo", "corrected_on": "2024-06-09"},
    )
    assert early.status_code == 422 and early.json()["errors"][0]["loc"] == ["body", "corrected_on"]
    late = client.post(
        f"/cases/{contacted_case}/stars/{star_id}/void",
        headers=headers,
        json={"reason": "x", "voided_on": "2024-09-03"},
    )
    assert late.status_code == 422 and late.json()["errors"][0]["loc"] == ["body", "voided_on"]
    extension = client.post(
        f"/cases/{contacted_case}/extension",
        headers=headers,
        json={"reason": "x", "extended_on": "2024-06-02", "review_on": "2024-07-01"},
    )
    assert extension.status_code == 422 and extension.json()["errors"][0]["loc"] == ["body", "extended_on"]


def test_a_replacement_with_a_target_before_the_revision_is_422_under_replacement(client, token, contacted_case):
    goal_id = client.post(
        f"/cases/{contacted_case}/goals",
        headers=token(),
        json={"description": "d", "star_areas": ["money"], "agreed_on": "2024-06-10"},
    ).json()["goal_id"]
    answer = client.patch(
        f"/cases/{contacted_case}/goals/{goal_id}",
        headers=token(),
        json={
            "status": "revised",
            "on": "2024-07-01",
            "replacement": {"description": "smaller", "star_areas": ["money"], "target_date": "2024-06-30"},
        },
    )
    assert answer.status_code == 422, answer.text
    assert [d["loc"] for d in answer.json()["errors"]] == [["body", "replacement", "target_date"]]
