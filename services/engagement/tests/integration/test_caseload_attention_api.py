"""`GET /caseload/attention`: a link worker's own open cases with their attempts, goals, open steps and
linkages (codes and dates, no text, no audit row); closed cases and colleagues' cases are left out;
every other role is refused."""

from __future__ import annotations

from engagement_testkit import COLLEAGUE, SERVICE, contact_body

from linkwell_runtime.testing import query


def test_the_worklist_holds_each_open_case_with_its_dates_and_no_text(client, token, open_case, settings):
    quiet = open_case()
    for day in ("2024-06-04", "2024-06-11"):
        attempt = {"occurred_at": f"{day}T10:00:00+01:00", "note": "No answer, left a message"}
        assert client.post(f"/cases/{quiet}/contact-attempts", json=attempt, headers=token()).status_code == 201
    busy = open_case()
    assert client.post(f"/cases/{busy}/contacts", json=contact_body(), headers=token()).status_code == 201
    goal = client.post(
        f"/cases/{busy}/goals",
        json={
            "description": "Walk twice a week",
            "star_areas": ["lifestyle"],
            "target_date": "2024-08-01",
            "agreed_on": "2024-06-05",
        },
        headers=token(),
    ).json()["goal_id"]
    step = {"description": "Ring the walking group", "due_on": "2024-07-01", "added_on": "2024-06-05"}
    assert client.post(f"/cases/{busy}/goals/{goal}/steps", json=step, headers=token()).status_code == 201
    linkage = {"service_id": str(SERVICE), "category": "physical_activity", "made_on": "2024-06-05"}
    assert client.post(f"/cases/{busy}/linkages", json=linkage, headers=token()).status_code == 201
    closed = open_case()
    assert (
        client.post(
            f"/cases/{closed}/discharge", json={"discharged_on": "2024-06-05", "reason": "moved_away"}, headers=token()
        ).status_code
        == 201
    )
    open_case(worker=COLLEAGUE)
    audited_before = query(settings.database_url, "SELECT count(*) FROM access_audit")[0][0]

    answer = client.get("/caseload/attention", headers=token())

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["today"] == "2024-09-02"
    assert body["unable_to_contact_rule"] == {"attempts_needed": 3, "window_days": 28}
    by_case = {item["case_id"]: item for item in body["items"]}
    assert set(by_case) == {str(quiet), str(busy)}
    assert by_case[str(quiet)]["attempts"] == {
        "failed": 2,
        "first_failed_on": "2024-06-04",
        "last_failed_on": "2024-06-11",
        "attended_contacts": 0,
    }
    b = by_case[str(busy)]
    assert (b["status"], b["attempts"]["attended_contacts"]) == ("contacted", 1)
    assert [(g["goal_id"], g["target_date"], g["is_open"]) for g in b["goals"]] == [(goal, "2024-08-01", True)]
    assert [(s["goal_id"], s["due_on"], s["status"]) for s in b["steps"]] == [(goal, "2024-07-01", "planned")]
    [link] = b["linkages"]
    assert (link["service_name"], link["status"], link["since"]) == ("Walking group", "suggested", "2024-06-05")
    assert "No answer" not in answer.text and "Walk twice" not in answer.text and "Ring the" not in answer.text
    assert query(settings.database_url, "SELECT count(*) FROM access_audit")[0][0] == audited_before


def test_only_a_link_worker_has_a_worklist(client, token):
    for role in ("provider_manager", "service", "referrer", "finance", "operator"):
        assert client.get("/caseload/attention", headers=token(role)).status_code == 403, role
    assert client.get("/caseload/attention").status_code == 401
