"""A goal revised with its replacement and a safeguarding concern escalated then resolved, from the case
page (issue 19), over FastAPI's TestClient against real referral, engagement and directory services on
fresh databases: what cannot be sent refused beside its field with nothing stored, what the engagement
API refuses beside the field it names, and each form sent twice stored once."""

from __future__ import annotations

import re

import link_worker_day_kit as kit
from casework_kit import days_ago
from console_testkit import bearer
from link_worker_day_kit import Day, form_fields

day, day_factory, worker_console = kit.day, kit.day_factory, kit.worker_console  # the kit's fixtures


def _api(day: Day, path: str, body: dict) -> dict:
    answer = day.apis["engagement"].post(path, json=body, headers=bearer("link_worker", day.secret, **day.scope))
    assert answer.status_code == 201, answer.text
    return answer.json()


def _contacted(day: Day) -> str:
    case_id = day.refer(0, days_back=40)
    contact = {
        "occurred_at": f"{days_ago(39).isoformat()}T10:00:00+00:00",
        "mode": "telephone",
        "duration_minutes": 20,
        "attended": True,
    }
    _api(day, f"/cases/{case_id}/contacts", contact)
    return case_id


def _beside(page: str, field: str) -> str:
    found = re.search(rf'id="{field}-error">(?:<span[^>]*>Error:</span>)?\s*([^<]*)', page)
    assert found, f"no error beside {field}"
    return found.group(1)


def test_a_goal_revised_closes_it_and_agrees_its_replacement_once(day, worker_console):
    case_id = _contacted(day)
    goal = _api(
        day,
        f"/cases/{case_id}/goals",
        {"description": "Walk twice a week", "star_areas": ["lifestyle"], "agreed_on": days_ago(30).isoformat()},
    )
    page = worker_console.get(f"/cases/{case_id}")
    assert '<option value="revised"' in page.text
    revise = {"goal_update_id": goal["goal_id"], "goal_update_status": "revised"}

    wordless = worker_console.post(f"/cases/{case_id}/goal_update", data=form_fields(page, "goal_update") | revise)
    assert wordless.status_code == 422 and "Describe the goal" in _beside(wordless.text, "goal_revise_description")
    no_areas = form_fields(wordless, "goal_update") | revise | {"goal_revise_description": "Join the walking group"}
    refused = worker_console.post(f"/cases/{case_id}/goal_update", data=no_areas)
    assert refused.status_code == 422 and "refused" in _beside(refused.text, "goal_revise_areas")
    assert 'value="Join the walking group"' not in refused.text  # a textarea keeps it as its content
    assert "Join the walking group</textarea>" in refused.text
    assert [g["status"] for g in day.case(case_id)["goals"]] == ["agreed"]  # nothing stored on an error

    revised = (
        form_fields(refused, "goal_update")
        | revise
        | {"goal_revise_description": "Join the walking group", "goal_revise_areas": ["lifestyle", "feeling_positive"]}
    )
    first = worker_console.post(f"/cases/{case_id}/goal_update", data=revised, follow_redirects=False)
    again = worker_console.post(f"/cases/{case_id}/goal_update", data=revised, follow_redirects=False)
    assert (first.status_code, again.status_code) == (303, 303)
    old, new = sorted(day.case(case_id)["goals"], key=lambda g: g["status"] != "revised")
    assert old["status"] == "revised" and len(day.case(case_id)["goals"]) == 2  # stored once
    assert new["status"] == "agreed" and new["description"] == "Join the walking group"
    assert set(new["star_areas"]) == {"lifestyle", "feeling_positive"}
    shown = worker_console.get(first.headers["location"]).text
    assert "Goal updated." in shown and "Join the walking group (Agreed)" in shown


def test_a_concern_is_escalated_once_then_resolved(day, worker_console):
    case_id = _contacted(day)
    concern = _api(
        day,
        f"/cases/{case_id}/safeguarding-concerns",
        {"category": "neglect", "risk_level": "high", "description": "No food in the house"},
    )
    page = worker_console.get(f"/cases/{case_id}")
    chosen = {"concern_escalate_id": concern["concern_id"]}

    nowhere = worker_console.post(
        f"/cases/{case_id}/concern_escalate", data=form_fields(page, "concern_escalate") | chosen
    )
    assert nowhere.status_code == 422 and "Choose the body" in _beside(nowhere.text, "concern_escalate_to")
    other = form_fields(nowhere, "concern_escalate") | chosen | {"concern_escalate_to": "other"}
    refused = worker_console.post(f"/cases/{case_id}/concern_escalate", data=other)
    assert refused.status_code == 422 and "refused" in _beside(refused.text, "concern_escalate_detail")
    assert day.case(case_id)["safeguarding_concerns"][0]["escalations"] == []

    escalated = form_fields(refused, "concern_escalate") | chosen | {"concern_escalate_to": "adult_social_care"}
    for _ in range(2):
        sent = worker_console.post(f"/cases/{case_id}/concern_escalate", data=escalated, follow_redirects=False)
        assert sent.status_code == 303, sent.text
    [stored] = day.case(case_id)["safeguarding_concerns"]
    assert [e["escalated_to"] for e in stored["escalations"]] == ["adult_social_care"]  # stored once
    page = worker_console.get(sent.headers["location"])
    assert "Safeguarding concern escalated." in page.text and "Escalated" in page.text
    assert "to adult social care" in page.text

    resolved = form_fields(page, "concern_close") | {
        "concern_close_id": concern["concern_id"],
        "concern_close_outcome": "handed_to_statutory_services",
    }
    page = worker_console.post(f"/cases/{case_id}/concern_close", data=resolved)
    assert "Safeguarding concern closed." in page.text
    assert day.case(case_id)["safeguarding_concerns"][0]["status"] == "closed"
    assert 'id="form-concern_escalate"' not in page.text  # nothing open to escalate
