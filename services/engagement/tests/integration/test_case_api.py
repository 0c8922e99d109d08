"""The case over HTTP on a real database: the link worker's work, the events it records, the view."""

from __future__ import annotations

from datetime import UTC, datetime

from engagement_testkit import COLLEAGUE, SCORES, SERVICE, contact_body

from linkwell_runtime.testing import query


def events_of(settings, case_id) -> list[str]:
    return [
        r[0]
        for r in query(
            settings.database_url,
            "SELECT event_type FROM events WHERE aggregate_id = %s ORDER BY aggregate_version",
            (str(case_id),),
        )
    ]


def test_first_attended_contact_makes_the_case_contacted(client, token, open_case, settings):
    case_id = open_case()
    answer = client.post(f"/cases/{case_id}/contacts", json=contact_body(), headers=token())
    assert answer.status_code == 201, answer.text
    assert answer.json()["case_status"] == "contacted"
    assert events_of(settings, case_id) == ["CaseOpened", "ContactRecorded", "CaseContacted"]


def test_three_failed_attempts_over_four_weeks_end_the_case_unable_to_contact(client, token, open_case, settings):
    case_id = open_case()
    for day in ("2024-06-04", "2024-06-18", "2024-07-02"):
        answer = client.post(
            f"/cases/{case_id}/contact-attempts",
            json={"occurred_at": f"{day}T10:00:00+01:00", "note": "no answer"},
            headers=token(),
        )
        assert answer.status_code == 201, answer.text
    assert answer.json()["case_status"] == "unable_to_contact"
    assert events_of(settings, case_id)[-1] == "UnableToContact"
    assert query(settings.database_url, "SELECT count(*) FROM case_texts WHERE kind = 'attempt_note'") == [(3,)]


def test_first_star_is_the_baseline_and_engages_the_case_later_ones_are_reviews(client, token, open_case, settings):
    case_id = open_case()
    client.post(f"/cases/{case_id}/contacts", json=contact_body(), headers=token())
    first = client.post(f"/cases/{case_id}/stars", json={"taken_on": "2024-06-05", "scores": SCORES}, headers=token())
    assert first.status_code == 201, first.text
    assert first.json() | {"star_id": None} == {
        "star_id": None,
        "kind": "baseline",
        "total": 36,
        "case_status": "engaged",
    }
    review = client.post(
        f"/cases/{case_id}/stars", json={"taken_on": "2024-08-30", "scores": SCORES | {"money": 9}}, headers=token()
    )
    assert review.json()["kind"] == "review" and review.json()["total"] == 39
    assert events_of(settings, case_id)[-3:] == ["WellbeingStarRecorded", "CaseEngaged", "WellbeingStarRecorded"]
    star_row = query(
        settings.database_url,
        "SELECT occurred_at, envelope->'payload' FROM events WHERE event_type ="
        " 'WellbeingStarRecorded' ORDER BY aggregate_version LIMIT 1",
    )[0]
    assert star_row[0] == datetime(2024, 6, 5, tzinfo=UTC)
    assert star_row[1]["scores"] == SCORES and star_row[1]["kind"] == "baseline"


def test_corrections_and_voids_keep_the_original_and_their_reasons(client, token, open_case):
    case_id = open_case()
    client.post(f"/cases/{case_id}/contacts", json=contact_body(), headers=token())
    star_id = client.post(
        f"/cases/{case_id}/stars", json={"taken_on": "2024-06-05", "scores": SCORES}, headers=token()
    ).json()["star_id"]
    fixed = client.post(
        f"/cases/{case_id}/stars/{star_id}/correction",
        json={"scores": SCORES | {"money": 1}, "reason": "typo"},
        headers=token(),
    )
    assert fixed.status_code == 201, fixed.text
    assert fixed.json()["total"] == 31
    assert (
        client.post(
            f"/cases/{case_id}/stars/{star_id}/void", json={"reason": "wrong patient"}, headers=token()
        ).status_code
        == 201
    )
    star = client.get(f"/cases/{case_id}", headers=token()).json()["stars"][0]
    assert star["original_scores"] == SCORES and star["corrections"][0]["total"] == 31
    assert star["voided_on"] == "2024-09-02" and star["void_reason"] == "wrong patient" and star["kind"] is None


def test_goals_move_through_their_statuses_and_a_revision_keeps_the_history(client, token, open_case):
    case_id = open_case()
    client.post(f"/cases/{case_id}/contacts", json=contact_body(), headers=token())
    goal = client.post(
        f"/cases/{case_id}/goals",
        json={"description": "Walk to the park twice a week", "star_areas": ["lifestyle"]},
        headers=token(),
    )
    assert goal.status_code == 201, goal.text
    goal_id = goal.json()["goal_id"]
    assert (
        client.patch(f"/cases/{case_id}/goals/{goal_id}", json={"status": "in_progress"}, headers=token()).status_code
        == 200
    )
    revised = client.patch(
        f"/cases/{case_id}/goals/{goal_id}",
        headers=token(),
        json={
            "status": "revised",
            "note": "too far for now",
            "replacement": {
                "description": "Walk round the block daily",
                "star_areas": ["lifestyle", "feeling_positive"],
            },
        },
    )
    assert revised.status_code == 200, revised.text
    goals = client.get(f"/cases/{case_id}", headers=token()).json()["goals"]
    assert [(g["status"], g["description"]) for g in goals] == [
        ("revised", "Walk to the park twice a week"),
        ("agreed", "Walk round the block daily"),
    ]
    assert [h["to_status"] for h in goals[0]["history"]] == ["in_progress", "revised"]
    assert goals[0]["notes"][0]["note"] == "too far for now"
    assert goals[1]["supersedes_goal_id"] == goal_id


def test_linkage_to_a_directory_service_moves_through_its_statuses(client, token, open_case):
    case_id = open_case()
    client.post(f"/cases/{case_id}/contacts", json=contact_body(), headers=token())
    made = client.post(
        f"/cases/{case_id}/linkages",
        json={"service_id": str(SERVICE), "category": "physical_activity"},
        headers=token(),
    )
    assert made.status_code == 201, made.text
    linkage_id = made.json()["linkage_id"]
    for status in ("referred", "attended"):
        assert (
            client.patch(
                f"/cases/{case_id}/linkages/{linkage_id}", json={"status": status}, headers=token()
            ).status_code
            == 200
        )
    linkage = client.get(f"/cases/{case_id}", headers=token()).json()["linkages"][0]
    assert (linkage["status"], linkage["service_name"]) == ("attended", "Walking group")


def test_extension_and_discharge_are_recorded_with_their_reasons(client, token, open_case, settings):
    case_id = open_case()
    extended = client.post(
        f"/cases/{case_id}/extension", json={"reason": "still settling", "review_on": "2025-01-02"}, headers=token()
    )
    assert extended.status_code == 201, extended.text
    gone = client.post(
        f"/cases/{case_id}/discharge", json={"discharged_on": "2024-09-02", "reason": "moved_away"}, headers=token()
    )
    assert gone.status_code == 201, gone.text
    view = client.get(f"/cases/{case_id}", headers=token()).json()
    assert view["status"] == "discharged" and view["discharge"]["reason"] == "moved_away"
    assert view["extensions"][0]["reason"] == "still settling"
    assert events_of(settings, case_id)[-2:] == ["CaseExtended", "CaseDischarged"]


def test_a_case_is_reassigned_to_a_colleague_who_then_holds_it(client, token, open_case, settings):
    case_id = open_case()
    moved = client.post(
        f"/cases/{case_id}/reassignment", json={"link_worker_id": str(COLLEAGUE)}, headers=token("provider_manager")
    )
    assert moved.status_code == 201, moved.text
    assert client.get(f"/cases/{case_id}", headers=token(link_worker_id=str(COLLEAGUE))).status_code == 200
    assert client.get(f"/cases/{case_id}", headers=token()).status_code == 404
    assert events_of(settings, case_id)[-1] == "CaseReassigned"
    assert moved.json()["reassigned_on"] == "2024-09-02"  # today, by default


def test_a_reassignment_entered_after_the_fact_keeps_its_day_and_a_future_one_is_422(
    client, token, open_case, settings
):
    case_id = open_case()  # allocated 2024-06-03; "today" is 2024-09-02
    manager = token("provider_manager")
    future = client.post(
        f"/cases/{case_id}/reassignment",
        headers=manager,
        json={"link_worker_id": str(COLLEAGUE), "reassigned_on": "2024-09-03"},
    )
    assert future.status_code == 422 and future.json()["errors"][0]["loc"][-1] == "reassigned_on"
    moved = client.post(
        f"/cases/{case_id}/reassignment",
        headers=manager,
        json={"link_worker_id": str(COLLEAGUE), "reassigned_on": "2024-07-01"},
    )
    assert moved.status_code == 201, moved.text
    assert query(
        settings.database_url,
        "SELECT envelope->'payload'->>'reassigned_on' FROM events WHERE aggregate_id = %s"
        " AND event_type = 'CaseReassigned'",
        (str(case_id),),
    ) == [("2024-07-01",)]


def test_the_same_idempotency_key_replays_the_first_answer(client, token, open_case, settings):
    case_id = open_case()
    headers = token() | {"Idempotency-Key": "contact-1"}
    first = client.post(f"/cases/{case_id}/contacts", json=contact_body(), headers=headers)
    again = client.post(f"/cases/{case_id}/contacts", json=contact_body(), headers=headers)
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert events_of(settings, case_id).count("ContactRecorded") == 1


def test_case_view_shows_contacts_and_review_due(client, token, open_case):
    case_id = open_case()
    client.post(f"/cases/{case_id}/contacts", json=contact_body(), headers=token())
    client.post(f"/cases/{case_id}/stars", json={"taken_on": "2024-06-05", "scores": SCORES}, headers=token())
    view = client.get(f"/cases/{case_id}", headers=token()).json()
    assert view["contacts"][0]["mode"] == "face_to_face" and view["contacts"][0]["attended"] is True
    assert view["review"] == {"due_on": "2024-12-05", "is_due": False, "is_overdue": False}
    assert view["time_limit"]["limit_on"] == "2026-06-03" and view["time_limit"]["is_past_limit"] is False
