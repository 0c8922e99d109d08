"""A link worker moves a case on from its page (issue 19), over FastAPI's TestClient against real
referral, engagement and directory services: a goal and an overdue action step updated (the step leaves
today's list), a Star corrected and voided with a reason, a linkage made from a directory search by
distance from the patient's postcode and moved through its statuses (a stale one leaves the list),
consent, preferences and a safeguarding concern raised and closed, an extension, the discharge after
its summary's preview, and the printable action plan. Every form: its problem beside the field with
nothing stored, a double submission stored once."""

from __future__ import annotations

import re

import httpx
import link_worker_day_kit as kit
from casework_kit import days_ago, london_today
from console_testkit import bearer, sign_in
from fastapi.testclient import TestClient
from link_worker_day_kit import Day, form_fields, table_rows
from star_kit import STAR

from console.entrypoints.app import create_app
from linkwell_runtime.testing import scalar

day, day_factory, worker_console = kit.day, kit.day_factory, kit.worker_console  # the kit's fixtures


def _api(day: Day, method: str, path: str, body: dict) -> dict:
    headers = bearer("link_worker", day.secret, **day.scope)
    answer = day.apis["engagement"].request(method, path, json=body, headers=headers)
    assert answer.status_code in (200, 201), answer.text
    return answer.json()


def _contacted(day: Day, n: int = 0, days_back: int = 40) -> str:
    """A case of patient `n`, referred `days_back` days ago and contacted the day after."""
    case_id = day.refer(n, days_back=days_back)
    contact = {
        "occurred_at": f"{days_ago(days_back - 1).isoformat()}T10:00:00+00:00",
        "mode": "telephone",
        "duration_minutes": 20,
        "attended": True,
    }
    _api(day, "POST", f"/cases/{case_id}/contacts", contact)
    return case_id


def _today_kinds(console, case_id: str) -> list[str]:
    page = console.get("/today")
    return re.findall(rf'data-case-id="{case_id}" data-kind="([^"]+)"', page.text)


def test_an_overdue_step_done_leaves_today_and_a_goal_is_achieved_once(day, worker_console):
    case_id = _contacted(day)
    goal = _api(
        day,
        "POST",
        f"/cases/{case_id}/goals",
        {"description": "Walk twice a week", "star_areas": ["lifestyle"], "agreed_on": days_ago(30).isoformat()},
    )
    step_body = {"description": "Ask about the Tuesday walk", "due_on": days_ago(3).isoformat()}
    step = _api(
        day,
        "POST",
        f"/cases/{case_id}/goals/{goal['goal_id']}/steps",
        step_body | {"added_on": days_ago(30).isoformat()},
    )
    assert "action_step" in _today_kinds(worker_console, case_id)

    page = worker_console.get(f"/cases/{case_id}")
    refused = worker_console.post(
        f"/cases/{case_id}/step_update",
        data=form_fields(page, "step_update") | {"step_update_id": f"{goal['goal_id']}/{step['step_id']}"},
    )
    assert refused.status_code == 422 and 'id="step_update_status-error"' in refused.text
    future = worker_console.post(
        f"/cases/{case_id}/step_update",
        data=form_fields(refused, "step_update")
        | {
            "step_update_id": f"{goal['goal_id']}/{step['step_id']}",
            "step_update_status": "done",
            "step_update_on": london_today().replace(year=london_today().year + 1).isoformat(),
        },
    )
    assert future.status_code == 422 and re.search(r'id="step_update_on-error">.*?refused', future.text, re.S)
    assert day.case(case_id)["goals"][0]["steps"][0]["status"] == "planned"  # nothing stored on an error

    done = form_fields(future, "step_update") | {
        "step_update_id": f"{goal['goal_id']}/{step['step_id']}",
        "step_update_status": "done",
    }
    first = worker_console.post(f"/cases/{case_id}/step_update", data=done, follow_redirects=False)
    again = worker_console.post(f"/cases/{case_id}/step_update", data=done, follow_redirects=False)
    assert (first.status_code, again.status_code) == (303, 303)
    assert day.case(case_id)["goals"][0]["steps"][0]["status"] == "done"
    assert len(day.case(case_id)["goals"][0]["steps"][0]["history"]) == 1  # stored once
    assert "action_step" not in _today_kinds(worker_console, case_id)

    page = worker_console.get(f"/cases/{case_id}")
    achieved = form_fields(page, "goal_update") | {
        "goal_update_id": goal["goal_id"],
        "goal_update_status": "achieved",
        "goal_update_note": "Walks with the group every week",
    }
    shown = worker_console.post(f"/cases/{case_id}/goal_update", data=achieved)
    assert shown.status_code == 200 and "Goal updated." in shown.text
    worker_console.post(f"/cases/{case_id}/goal_update", data=achieved)
    [stored] = day.case(case_id)["goals"]
    assert stored["status"] == "achieved" and len(stored["history"]) == 1
    assert 'id="update-goal"' not in shown.text  # nothing left to move on


def test_a_star_is_corrected_with_its_reason_and_a_review_voided(day, worker_console):
    case_id = _contacted(day)
    baseline = _api(day, "POST", f"/cases/{case_id}/stars", {"taken_on": days_ago(30).isoformat(), "scores": STAR})
    review = _api(
        day, "POST", f"/cases/{case_id}/stars", {"taken_on": days_ago(2).isoformat(), "scores": STAR | {"money": 9}}
    )
    page = worker_console.get(f"/cases/{case_id}")
    assert 'id="correct_money"' in page.text and re.search(r'id="correct_money"[^>]*value="9"', page.text)
    corrected = {f"correct_{a}": str(v) for a, v in STAR.items()} | {"star_correct_id": baseline["star_id"]}

    refused = worker_console.post(
        f"/cases/{case_id}/star_correct",
        data=form_fields(page, "star_correct") | corrected | {"correct_money": "11", "star_correct_reason": "Typo"},
    )
    assert refused.status_code == 422 and re.search(r'id="correct_money-error">.*?refused', refused.text, re.S)
    assert 'value="11"' in refused.text
    assert day.case(case_id)["stars"][0]["corrections"] == []

    body = (
        form_fields(refused, "star_correct") | corrected | {"correct_money": "5", "star_correct_reason": "Money was 5"}
    )
    shown = worker_console.post(f"/cases/{case_id}/star_correct", data=body)
    assert shown.status_code == 200 and "Well-being Star corrected" in shown.text
    worker_console.post(f"/cases/{case_id}/star_correct", data=body)
    stars = {s["star_id"]: s for s in day.case(case_id)["stars"]}
    assert len(stars[baseline["star_id"]]["corrections"]) == 1 and stars[baseline["star_id"]]["scores"]["money"] == 5
    assert re.search(r"Money</th><td[^>]*>5</td><td[^>]*>9</td><td[^>]*>\+4</td>", shown.text)

    no_reason = form_fields(shown, "star_void") | {"star_void_id": review["star_id"]}
    refused = worker_console.post(f"/cases/{case_id}/star_void", data=no_reason)
    assert refused.status_code == 422 and 'id="star_void_reason-error"' in refused.text
    voided = form_fields(refused, "star_void") | {
        "star_void_id": review["star_id"],
        "star_void_reason": "Wrong patient",
    }
    shown = worker_console.post(f"/cases/{case_id}/star_void", data=voided)
    assert "Well-being Star voided" in shown.text
    assert 'data-outline="lw-star-latest"' not in shown.text  # the baseline alone counts now
    assert day.case(case_id)["stars"][1]["voided_on"] is not None


def test_a_linkage_from_a_search_by_distance_moves_through_its_statuses_and_a_stale_one_leaves_today(
    day, worker_console
):
    case_id = _contacted(day)
    found = worker_console.get(f"/cases/{case_id}", params={"category": "physical_activity", "distance": "20"})
    assert found.status_code == 200 and "NE4 6QA" in found.text  # the patient's postcode, from referral
    rows = table_rows(found, "directory-results")
    distances = [float(d) for d in re.findall(r'class="lw-num">([\d.]+) km<', " ".join(rows))]
    assert distances and distances == sorted(distances) and max(distances) <= 20
    service_id = re.search(r'data-service-id="([^"]+)"', next(r for r in rows if ">Link<" in r)).group(1)
    linked = worker_console.post(
        f"/cases/{case_id}/linkage",
        data=form_fields(found, "linkage")
        | {"linkage_service_id": service_id, "linkage_category": "physical_activity"},
    )
    assert "Linkage made" in linked.text and table_rows(linked, "linkages-table")

    stale = _api(
        day,
        "POST",
        f"/cases/{case_id}/linkages",
        {"service_id": service_id, "category": "physical_activity", "made_on": days_ago(20).isoformat()},
    )
    assert "linkage" in _today_kinds(worker_console, case_id)
    page = worker_console.get(f"/cases/{case_id}")
    wrong = form_fields(page, "linkage_update") | {
        "linkage_update_id": stale["linkage_id"],
        "linkage_update_status": "attended",
    }
    refused = worker_console.post(f"/cases/{case_id}/linkage_update", data=wrong)  # suggested → attended: not allowed
    assert refused.status_code == 422 and 'id="linkage_update-refused"' in refused.text  # the API's 409, on the form
    assert [k["status"] for k in day.case(case_id)["linkages"] if k["linkage_id"] == stale["linkage_id"]] == [
        "suggested"
    ]
    referred = form_fields(refused, "linkage_update") | {
        "linkage_update_id": stale["linkage_id"],
        "linkage_update_status": "referred",
    }
    assert (
        worker_console.post(f"/cases/{case_id}/linkage_update", data=referred, follow_redirects=False).status_code
        == 303
    )
    assert (
        worker_console.post(f"/cases/{case_id}/linkage_update", data=referred, follow_redirects=False).status_code
        == 303
    )
    assert "linkage" not in _today_kinds(worker_console, case_id)
    page = worker_console.get(f"/cases/{case_id}")
    attended = form_fields(page, "linkage_update") | {
        "linkage_update_id": stale["linkage_id"],
        "linkage_update_status": "attended",
    }
    worker_console.post(f"/cases/{case_id}/linkage_update", data=attended)
    [moved] = [k for k in day.case(case_id)["linkages"] if k["linkage_id"] == stale["linkage_id"]]
    assert [h["to_status"] for h in moved["history"]] == ["referred", "attended"]  # each stored once


def test_consent_preferences_and_a_safeguarding_concern_raised_then_closed(day, worker_console):
    case_id = _contacted(day)
    page = worker_console.get(f"/cases/{case_id}")
    assert "No safeguarding concern has been raised." in page.text and "Not recorded" in page.text
    consent = form_fields(page, "consent") | {"consent_kind": "share_outcomes_with_gp", "consent_state": "given"}
    page = worker_console.post(f"/cases/{case_id}/consent", data=consent)
    assert "Consent recorded." in page.text and re.search(r'id="consent-share">Given on', page.text)

    bad = form_fields(page, "preferences") | {"pref_modes": ["phone"], "pref_language": "xx-yy"}
    refused = worker_console.post(f"/cases/{case_id}/preferences", data=bad)
    assert refused.status_code == 422 and 'id="pref_language-error"' in refused.text
    assert day.case(case_id)["preferences"] == []
    good = form_fields(refused, "preferences") | {
        "pref_modes": ["phone", "text"],
        "pref_language": "pl",
        "pref_interpreter": "yes",
    }
    page = worker_console.post(f"/cases/{case_id}/preferences", data=good)
    assert "Preferences recorded." in page.text and "phone, text" in page.text and "interpreter needed" in page.text

    no_words = form_fields(page, "concern") | {"concern_category": "neglect", "concern_risk": "high"}
    refused = worker_console.post(f"/cases/{case_id}/concern", data=no_words)
    assert refused.status_code == 422 and 'id="concern_description-error"' in refused.text
    raised = form_fields(refused, "concern") | {
        "concern_category": "neglect",
        "concern_risk": "high",
        "concern_description": "No food in the house",
    }
    page = worker_console.post(f"/cases/{case_id}/concern", data=raised)
    worker_console.post(f"/cases/{case_id}/concern", data=raised)
    assert "Safeguarding concern raised" in page.text and "No food in the house" in page.text
    assert len(day.case(case_id)["safeguarding_concerns"]) == 1
    assert "safeguarding" in _today_kinds(worker_console, case_id)

    [concern] = day.case(case_id)["safeguarding_concerns"]
    closed = form_fields(page, "concern_close") | {
        "concern_close_id": concern["concern_id"],
        "concern_close_outcome": "resolved",
    }
    page = worker_console.post(f"/cases/{case_id}/concern_close", data=closed)
    assert "Safeguarding concern closed." in page.text
    assert "safeguarding" not in _today_kinds(worker_console, case_id)


def test_an_extension_is_refused_without_its_reason_and_recorded_with_it(day, worker_console):
    case_id = _contacted(day)
    page = worker_console.get(f"/cases/{case_id}")
    review_on = (london_today().replace(day=1) if london_today().day > 1 else london_today()).isoformat()
    refused = worker_console.post(f"/cases/{case_id}/extension", data=form_fields(page, "extension"))
    assert refused.status_code == 422 and 'id="extension_review_on-error"' in refused.text
    later = days_ago(-90).isoformat()
    no_reason = form_fields(refused, "extension") | {"extension_review_on": later}
    refused = worker_console.post(f"/cases/{case_id}/extension", data=no_reason)
    assert refused.status_code == 422 and 'id="extension_reason-error"' in refused.text, review_on
    assert day.case(case_id)["extensions"] == []
    body = form_fields(refused, "extension") | {
        "extension_review_on": later,
        "extension_reason": "Housing move pending",
    }
    page = worker_console.post(f"/cases/{case_id}/extension", data=body)
    assert "Case extended" in page.text and f"extended until {later}" in page.text


def test_the_discharge_summary_is_previewed_then_sent_once(day, worker_console):
    case_id = _contacted(day)
    _api(day, "POST", f"/cases/{case_id}/stars", {"taken_on": days_ago(30).isoformat(), "scores": STAR})
    _api(day, "POST", f"/cases/{case_id}/stars", {"taken_on": days_ago(1).isoformat(), "scores": STAR | {"money": 8}})
    missing = worker_console.get(
        f"/cases/{case_id}/discharge-preview", params={"discharge_on": london_today().isoformat()}
    )
    assert missing.status_code == 422 and 'id="discharge_reason-error"' in missing.text

    future = {"discharge_on": days_ago(-3).isoformat(), "discharge_reason": "goals_met"}
    refused = worker_console.get(f"/cases/{case_id}/discharge-preview", params=future)  # engagement's own 422
    assert refused.status_code == 422 and re.search(r'id="discharge_on-error">.*?refused', refused.text, re.S)
    params = {"discharge_on": london_today().isoformat(), "discharge_reason": "goals_met"}
    unshared = worker_console.get(f"/cases/{case_id}/discharge-preview", params=params)
    assert unshared.status_code == 200 and 'id="outcomes-not-shared"' in unshared.text
    assert "Referral to social prescribing service (871731000000106)" in unshared.text
    assert re.search(r'id="summary-contacts">1<', unshared.text)
    assert day.case(case_id)["status"] != "discharged"  # a preview changes nothing

    _api(day, "POST", f"/cases/{case_id}/consents", {"consent": "share_outcomes_with_gp", "state": "given"})
    shown = worker_console.get(f"/cases/{case_id}/discharge-preview", params=params)
    assert "change +2" in shown.text and 'id="summary-star"' in shown.text
    confirm = re.search(r'<form method="post" action="[^"]+/discharge"[^>]*>(.*?)</form>', shown.text, re.S)
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', confirm.group(1)))
    assert hidden["discharge_reason"] == "goals_met"
    first = worker_console.post(f"/cases/{case_id}/discharge", data=hidden, follow_redirects=False)
    again = worker_console.post(f"/cases/{case_id}/discharge", data=hidden, follow_redirects=False)
    assert (first.status_code, again.status_code) == (303, 303)
    assert day.case(case_id)["status"] == "discharged"
    summaries = scalar(day.engagement_db, "SELECT count(*) FROM outbox WHERE topic LIKE %s", ("%practice%",))
    assert summaries == 1  # one discharge summary for the practice


def test_the_printable_action_plan_has_goals_steps_linkages_and_the_star_but_no_safeguarding(day, worker_console):
    case_id = _contacted(day)
    goal = _api(
        day, "POST", f"/cases/{case_id}/goals", {"description": "Join a choir", "star_areas": ["feeling_positive"]}
    )
    _api(
        day,
        "POST",
        f"/cases/{case_id}/goals/{goal['goal_id']}/steps",
        {"description": "Ring the choir leader", "due_on": days_ago(-7).isoformat()},
    )
    _api(day, "POST", f"/cases/{case_id}/stars", {"taken_on": days_ago(1).isoformat(), "scores": STAR})
    _api(
        day,
        "POST",
        f"/cases/{case_id}/safeguarding-concerns",
        {"category": "neglect", "risk_level": "low", "description": "Cold flat"},
    )
    audited = scalar(day.referral_db, "SELECT count(*) FROM access_audit WHERE referral_id = %s", (case_id,))

    plan = worker_console.get(f"/cases/{case_id}/plan")

    assert plan.status_code == 200
    assert (
        "Join a choir" in plan.text and "Ring the choir leader" in plan.text and days_ago(-7).isoformat() in plan.text
    )
    assert 'id="star-chart"' in plan.text and 'id="star-table"' in plan.text
    assert "Cold flat" not in plan.text and "afeguarding" not in plan.text
    assert "Joan Robson" in plan.text
    assert (
        scalar(day.referral_db, "SELECT count(*) FROM access_audit WHERE referral_id = %s", (case_id,)) == audited + 1
    )


def test_an_update_to_an_item_that_is_not_there_is_said_on_its_form(day, worker_console):
    case_id = _contacted(day)
    _api(day, "POST", f"/cases/{case_id}/stars", {"taken_on": days_ago(3).isoformat(), "scores": STAR})
    page = worker_console.get(f"/cases/{case_id}")
    body = form_fields(page, "star_void") | {
        "star_void_id": "0190a0b0-0000-7000-8000-00000000dead",
        "star_void_reason": "x",
    }
    refused = worker_console.post(f"/cases/{case_id}/star_void", data=body)
    assert refused.status_code == 422 and 'id="star_void-refused"' in refused.text


def _console_without(down_service: str, day_factory, console_settings, clock) -> TestClient:
    """The console with one service not answering (the console closes its clients when it stops, so a
    test starts one such console and reads what was stored before it stops)."""

    def factory(service: str, base_url: str) -> httpx.Client:
        if service == down_service:
            return httpx.Client(base_url="http://127.0.0.1:9", timeout=2)
        return day_factory(service, base_url)

    return TestClient(create_app(console_settings, factory, clock=clock))


def test_the_directory_down_leaves_the_case_page_and_its_forms_working(day, day_factory, console_settings, clock):
    case_id = _contacted(day)
    with _console_without("directory", day_factory, console_settings, clock) as client:
        sign_in(client, day.user)
        page = client.get(f"/cases/{case_id}", params={"category": "physical_activity", "distance": "5"})
        assert page.status_code == 200 and 'id="directory-unavailable"' in page.text
        consent = form_fields(page, "consent") | {"consent_kind": "service", "consent_state": "given"}
        assert client.post(f"/cases/{case_id}/consent", data=consent, follow_redirects=False).status_code == 303
        assert [c["state"] for c in day.case(case_id)["consent"]["history"]] == ["given"]


def test_a_form_sent_while_engagement_is_down_gets_the_try_again_page(day, day_factory, console_settings, clock):
    case_id = _contacted(day)
    events = scalar(day.engagement_db, "SELECT count(*) FROM events")
    with _console_without("engagement", day_factory, console_settings, clock) as client:
        sign_in(client, day.user)
        body = {"consent_kind": "service", "consent_state": "given", "idempotency_key": "k-down"}
        body["csrf_token"] = client.cookies.get("linkwell_csrf")
        down = client.post(f"/cases/{case_id}/consent", data=body)
        assert down.status_code == 503 and "engagement service is not answering" in down.text
        assert down.headers["Retry-After"] == "30"
    assert scalar(day.engagement_db, "SELECT count(*) FROM events") == events
