"""Action plans over HTTP: steps under a goal (what, by when, status) recorded by the holding link
worker, their history, overdue steps visible in the case and its list row, the wording kept in the
database only, and every 4xx changing nothing."""

from __future__ import annotations

import uuid

import pytest
from engagement_testkit import COLLEAGUE, contact_body

from linkwell_runtime.testing import query

STEP = "Ring Elswick walking group about Tuesday walks"


@pytest.fixture
def goal(client, token, open_case):
    case_id = open_case()
    assert client.post(f"/cases/{case_id}/contacts", json=contact_body(), headers=token()).status_code == 201
    answer = client.post(
        f"/cases/{case_id}/goals",
        json={"description": "Walk twice a week", "star_areas": ["lifestyle"], "agreed_on": "2024-06-05"},
        headers=token(),
    )
    return case_id, answer.json()["goal_id"]


def add_step(client, headers, case_id, goal_id, **overrides):
    body = {"description": STEP, "due_on": "2024-07-01", "added_on": "2024-06-05"} | overrides
    return client.post(f"/cases/{case_id}/goals/{goal_id}/steps", json=body, headers=headers)


def test_a_step_moves_on_with_its_history_and_an_overdue_one_shows(client, token, goal, settings):
    case_id, goal_id = goal
    added = add_step(client, token(), case_id, goal_id)
    assert added.status_code == 201, added.text
    step_id = added.json()["step_id"]
    assert added.json() == {
        "step_id": step_id,
        "goal_id": goal_id,
        "status": "planned",
        "due_on": "2024-07-01",
        "added_on": "2024-06-05",
    }
    path = f"/cases/{case_id}/goals/{goal_id}/steps/{step_id}"
    moved = client.patch(path, json={"status": "in_progress", "on": "2024-06-10"}, headers=token())
    assert moved.status_code == 200 and moved.json()["status"] == "in_progress"
    [row] = client.get("/cases", headers=token()).json()["items"]
    assert (row["next_step_due_on"], row["action_steps_overdue"]) == ("2024-07-01", True)  # today is 2024-09-02
    view = client.get(f"/cases/{case_id}", headers=token()).json()
    [step] = view["goals"][0]["steps"]
    assert (step["description"], step["status"], step["is_overdue"]) == (STEP, "in_progress", True)
    assert step["history"] == [
        {"from_status": "planned", "to_status": "in_progress", "due_on": "2024-07-01", "on": "2024-06-10"}
    ]
    assert view["action_steps"] == {"next_due_on": "2024-07-01", "overdue": 1}
    rescheduled = client.patch(path, json={"due_on": "2024-09-30"}, headers=token())
    assert rescheduled.status_code == 200 and rescheduled.json()["due_on"] == "2024-09-30"
    [row] = client.get("/cases", headers=token()).json()["items"]
    assert row["action_steps_overdue"] is False
    assert client.patch(path, json={"status": "done"}, headers=token()).json()["status"] == "done"
    [row] = client.get("/cases", headers=token()).json()["items"]
    assert row["next_step_due_on"] is None
    texts = query(settings.database_url, "SELECT envelope::text FROM events") + query(
        settings.database_url, "SELECT convert_from(message, 'UTF8') FROM outbox"
    )
    assert not any(STEP in r[0] for r in texts)
    assert "step_description" in query(settings.database_url, "SELECT fields FROM access_audit")[0][0]


def test_a_finished_step_refuses_going_back_with_409(client, token, goal, settings):
    case_id, goal_id = goal
    step_id = add_step(client, token(), case_id, goal_id).json()["step_id"]
    path = f"/cases/{case_id}/goals/{goal_id}/steps/{step_id}"
    assert client.patch(path, json={"status": "dropped"}, headers=token()).status_code == 200
    before = query(settings.database_url, "SELECT count(*) FROM events")
    for body in ({"status": "in_progress"}, {"due_on": "2024-09-30"}, {}):
        assert client.patch(path, json=body, headers=token()).status_code == 409, body
    assert query(settings.database_url, "SELECT count(*) FROM events") == before


@pytest.mark.parametrize(
    ("overrides", "loc"),
    [
        ({"description": ""}, ["body", "description"]),
        ({"description": "x" * 2001}, ["body", "description"]),
        ({"due_on": "2024-06-01"}, ["body", "due_on"]),
        ({"due_on": None}, ["body", "due_on"]),
        ({"added_on": "2024-06-04"}, ["body", "added_on"]),  # before the goal was agreed
        ({"added_on": "2030-01-01", "due_on": "2030-02-01"}, ["body", "added_on"]),
    ],
)
def test_a_bad_step_is_422_naming_the_field_and_changes_nothing(client, token, goal, settings, overrides, loc):
    case_id, goal_id = goal
    before = query(settings.database_url, "SELECT count(*) FROM events")
    answer = add_step(client, token(), case_id, goal_id, **overrides)
    assert answer.status_code == 422
    assert loc in [e["loc"] for e in answer.json()["errors"]], answer.json()
    assert query(settings.database_url, "SELECT count(*) FROM events") == before


def test_steps_are_the_holding_link_workers_and_reached_only_under_their_goal(client, token, goal, open_case):
    case_id, goal_id = goal
    step_id = add_step(client, token(), case_id, goal_id).json()["step_id"]
    assert add_step(client, token("provider_manager"), case_id, goal_id).status_code == 403
    assert add_step(client, token("service"), case_id, goal_id).status_code == 403
    assert add_step(client, token(link_worker_id=str(COLLEAGUE)), case_id, goal_id).status_code == 404
    assert add_step(client, token(), case_id, uuid.uuid4()).status_code == 404  # unknown goal
    other_goal = f"/cases/{case_id}/goals/{uuid.uuid4()}/steps/{step_id}"
    assert client.patch(other_goal, json={"status": "done"}, headers=token()).status_code == 404
    unknown = f"/cases/{case_id}/goals/{goal_id}/steps/{uuid.uuid4()}"
    assert client.patch(unknown, json={"status": "done"}, headers=token()).status_code == 404
    bad = f"/cases/{case_id}/goals/{goal_id}/steps/{step_id}"
    answer = client.patch(bad, json={"status": "finished"}, headers=token())
    assert answer.status_code == 422 and ["body", "status"] in [e["loc"] for e in answer.json()["errors"]]
