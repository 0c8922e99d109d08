"""A link worker's day in the console (issue 19) over FastAPI's TestClient, against real referral,
engagement and directory services on fresh databases: today's list across the caseload with each
patient's name (each identity read audited by the referral service), the caseload and its search, a
case's timeline and Star chart, recording a contact, a failed attempt, a Star, a goal and its step, a
linkage from a directory search, and a discharge; every form refusing bad input beside the field with
nothing stored, and stored once when submitted twice; other roles refused; a service down."""

from __future__ import annotations

import re

import httpx
import link_worker_day_kit as kit
from casework_kit import NHS_NUMBERS, days_ago, london_today
from console_testkit import sign_in
from fastapi.testclient import TestClient
from link_worker_day_kit import Day, form_fields, table_rows
from star_kit import STAR

from console.entrypoints.app import create_app
from linkwell_runtime.testing import scalar

day, day_factory, worker_console = kit.day, kit.day_factory, kit.worker_console  # the kit's fixtures


def _audited_identity_reads(day: Day) -> int:
    return scalar(day.referral_db, "SELECT count(*) FROM access_audit WHERE referral_id IS NOT NULL")


def test_todays_list_names_each_patient_and_links_each_due_thing_to_its_case(day, worker_console):
    overdue = day.refer(0, days_back=10)
    due = day.refer(1, days_back=0)
    elsewhere = day.refer(2, days_back=10, elsewhere=True)
    audited = _audited_identity_reads(day)

    home = worker_console.get("/")

    assert home.status_code == 200, home.text
    rows = table_rows(home, "today-list")
    assert [re.search(r'data-case-id="([^"]+)"', r).group(1) for r in rows] == [overdue, due]  # overdue first
    assert "Joan Robson" in rows[0] and "Overdue" in rows[0] and f'href="/cases/{overdue}"' in rows[0]
    assert "Arthur Milburn" in rows[1] and "First contact" in rows[1] and "Due" in rows[1]
    assert elsewhere not in home.text and "Ada Charlton" not in home.text  # another link worker's patient
    assert _audited_identity_reads(day) == audited + 2  # each name shown was read, and audited, by referral
    assert worker_console.get("/today").text.count("data-case-id=") == 2


def test_recording_the_first_contact_takes_it_off_the_list_and_a_double_submission_stores_one(day, worker_console):
    case_id = day.refer(0, days_back=3)
    page = worker_console.get(f"/cases/{case_id}")
    assert page.status_code == 200 and "Joan Robson" in page.text and "943 476 5919" in page.text
    body = form_fields(page, "contact") | {
        "contact_date": days_ago(1).isoformat(),
        "contact_time": "10:30",
        "contact_mode": "face_to_face",
        "contact_duration": "45",
        "contact_venue": "gp_practice",
        "contact_attended": "yes",
    }

    first = worker_console.post(f"/cases/{case_id}/contact", data=body, follow_redirects=False)
    again = worker_console.post(f"/cases/{case_id}/contact", data=body, follow_redirects=False)

    assert (first.status_code, again.status_code) == (303, 303), first.text
    assert first.headers["location"] == f"/cases/{case_id}?done=contact"
    shown = worker_console.get(first.headers["location"])
    assert "Contact recorded." in shown.text and "Contacted" in shown.text
    assert "Face to face, gp practice, 45 minutes, attended" in " ".join(table_rows(shown, "timeline-table")).replace(
        "face to face", "Face to face"
    )
    assert len(day.case(case_id)["contacts"]) == 1  # the same Idempotency-Key: stored once
    assert 'data-kind="first_contact"' not in worker_console.get("/").text


def test_a_failed_attempt_is_recorded_and_the_unable_to_contact_rule_is_shown(day, worker_console):
    case_id = day.refer(0, days_back=3)
    page = worker_console.get(f"/cases/{case_id}")
    body = form_fields(page, "attempt") | {
        "attempt_date": days_ago(2).isoformat(),
        "attempt_time": "09:15",
        "attempt_note": "Rang twice, no answer",
    }
    answer = worker_console.post(f"/cases/{case_id}/attempt", data=body)
    assert answer.status_code == 200 and "Failed attempt recorded." in answer.text
    assert "Rang twice, no answer" in answer.text  # the note, to the link worker holding the case
    [row] = [r for r in table_rows(worker_console.get("/"), "today-list") if 'data-kind="unable_to_contact"' in r]
    assert "1 failed attempt" in row and "2 more failed attempts" in row


def test_a_bad_contact_is_refused_beside_its_fields_and_nothing_is_stored(day, worker_console):
    case_id = day.refer(0, days_back=3)
    page = worker_console.get(f"/cases/{case_id}")
    future = (london_today().replace(year=london_today().year + 1)).isoformat()
    body = form_fields(page, "contact") | {
        "contact_date": future,
        "contact_time": "10:30",
        "contact_mode": "face_to_face",
        "contact_duration": "forty",
        "contact_attended": "yes",
    }
    refused = worker_console.post(f"/cases/{case_id}/contact", data=body)
    assert refused.status_code == 422
    assert re.search(r'id="contact_duration-error".*?whole minutes', refused.text, re.S)
    assert 'value="forty"' in refused.text  # what was typed is kept

    body["contact_duration"] = "45"  # now the API judges the date: in the future
    refused = worker_console.post(f"/cases/{case_id}/contact", data=body)
    assert refused.status_code == 422
    assert re.search(r'id="contact_date-error">.*?This value was refused', refused.text, re.S)
    assert day.case(case_id)["contacts"] == []
    assert form_fields(refused, "contact")["idempotency_key"] != body["idempotency_key"]  # a fresh key for the retry


def test_a_star_is_refused_beside_a_bad_score_then_drawn_baseline_against_latest(day, worker_console):
    case_id = day.refer(0, days_back=40)
    page = worker_console.get(f"/cases/{case_id}")
    contact = form_fields(page, "contact") | {
        "contact_date": days_ago(30).isoformat(),
        "contact_time": "10:00",
        "contact_mode": "telephone",
        "contact_duration": "20",
        "contact_attended": "yes",
    }
    assert worker_console.post(f"/cases/{case_id}/contact", data=contact, follow_redirects=False).status_code == 303
    page = worker_console.get(f"/cases/{case_id}")
    scores = {f"score_{area}": str(v) for area, v in STAR.items()}
    bad = form_fields(page, "star") | {"star_taken_on": days_ago(30).isoformat()} | scores | {"score_money": "11"}
    refused = worker_console.post(f"/cases/{case_id}/star", data=bad)
    assert refused.status_code == 422
    assert re.search(r'id="score_money-error">.*?This value was refused', refused.text, re.S)
    assert day.case(case_id)["stars"] == []

    baseline = form_fields(refused, "star") | {"star_taken_on": days_ago(30).isoformat()} | scores
    assert worker_console.post(f"/cases/{case_id}/star", data=baseline, follow_redirects=False).status_code == 303
    page = worker_console.get(f"/cases/{case_id}")
    review = form_fields(page, "star") | {"star_taken_on": days_ago(1).isoformat()} | scores | {"score_money": "9"}
    shown = worker_console.post(f"/cases/{case_id}/star", data=review)

    assert shown.status_code == 200 and "Well-being Star recorded." in shown.text
    assert shown.text.count('data-outline="lw-star-baseline"') == 1 and 'data-outline="lw-star-latest"' in shown.text
    rows = table_rows(shown, "star-table")
    assert len(rows) == 8
    assert re.search(r"Money</th><td[^>]*>6</td><td[^>]*>9</td><td[^>]*>\+3</td>", " ".join(rows))
    assert [s["total"] for s in day.case(case_id)["stars"]] == [36, 39]


def test_a_goal_a_step_a_linkage_from_the_directory_and_a_discharge(day, worker_console):
    case_id = day.refer(0, days_back=20)
    page = worker_console.get(f"/cases/{case_id}")
    contact = form_fields(page, "contact") | {
        "contact_date": days_ago(10).isoformat(),
        "contact_time": "10:00",
        "contact_mode": "face_to_face",
        "contact_duration": "30",
        "contact_venue": "cafe",
        "contact_attended": "yes",
    }
    assert worker_console.post(f"/cases/{case_id}/contact", data=contact, follow_redirects=False).status_code == 303
    page = worker_console.get(f"/cases/{case_id}")
    no_areas = form_fields(page, "goal") | {"goal_description": "Walk to the park twice a week"}
    refused = worker_console.post(f"/cases/{case_id}/goal", data=no_areas)
    assert refused.status_code == 422 and 'id="goal_areas-error"' in refused.text
    goal = form_fields(refused, "goal") | {
        "goal_description": "Walk to the park twice a week",
        "goal_areas": ["lifestyle", "feeling_positive"],
    }
    page = worker_console.post(f"/cases/{case_id}/goal", data=goal)
    assert "Goal agreed." in page.text and "Walk to the park twice a week" in page.text
    [goal_id] = [g["goal_id"] for g in day.case(case_id)["goals"]]
    step = form_fields(page, "step") | {
        "step_goal_id": goal_id,
        "step_description": "Ask about the Tuesday walk",
        "step_due_on": london_today().isoformat(),
    }
    page = worker_console.post(f"/cases/{case_id}/step", data=step)
    assert "Action step added." in page.text and "Ask about the Tuesday walk" in page.text

    found = worker_console.get(f"/cases/{case_id}", params={"category": "physical_activity", "service_search": "walk"})
    results = table_rows(found, "directory-results")
    assert results and all(">Link<" in r or "Closed for good" in r for r in results)
    service_id = re.search(r'data-service-id="([^"]+)"', next(r for r in results if ">Link<" in r)).group(1)
    linkage = form_fields(found, "linkage") | {
        "linkage_service_id": service_id,
        "linkage_category": "physical_activity",
    }
    page = worker_console.post(f"/cases/{case_id}/linkage", data=linkage)
    assert "Linkage made" in page.text
    assert [k["service_id"] for k in day.case(case_id)["linkages"]] == [service_id]

    params = {"discharge_on": london_today().isoformat(), "discharge_reason": "goals_met"}
    preview = worker_console.get(f"/cases/{case_id}/discharge-preview", params=params)
    discharge = form_fields(preview, "discharge")
    assert discharge["discharge_reason"] == "goals_met"
    page = worker_console.post(f"/cases/{case_id}/discharge", data=discharge)
    assert "Case discharged" in page.text and 'id="case-closed"' in page.text
    assert day.case(case_id)["status"] == "discharged"
    assert case_id not in worker_console.get("/").text


def test_the_caseload_lists_names_and_searches_by_name_or_nhs_number_within_it(day, worker_console):
    joan, arthur = day.refer(0, days_back=3), day.refer(1, days_back=1)
    day.refer(2, days_back=1, elsewhere=True)  # Ada Charlton: another link worker's

    everyone = worker_console.get("/caseload")
    assert [re.search(r'data-case-id="([^"]+)"', r).group(1) for r in table_rows(everyone, "caseload")] == [
        arthur,
        joan,
    ]
    assert "First contact" in everyone.text and "Allocated, not contacted yet" in everyone.text

    by_name = worker_console.get("/caseload", params={"q": "robson JOAN"})
    assert [joan] == [re.search(r'data-case-id="([^"]+)"', r).group(1) for r in table_rows(by_name, "caseload")]
    spaced = f"{NHS_NUMBERS[1][:3]} {NHS_NUMBERS[1][3:6]} {NHS_NUMBERS[1][6:]}"
    by_number = worker_console.get("/caseload", params={"q": spaced})
    assert [arthur] == [re.search(r'data-case-id="([^"]+)"', r).group(1) for r in table_rows(by_number, "caseload")]
    for outside in ("Charlton", NHS_NUMBERS[2]):
        page = worker_console.get("/caseload", params={"q": outside})
        assert "data-case-id" not in page.text and "No case in your caseload matches" in page.text


def test_a_case_outside_the_caseload_is_not_found_and_other_roles_get_the_403_page(
    day, worker_console, day_factory, console_settings, clock
):
    elsewhere = day.refer(2, days_back=1, elsewhere=True)
    assert worker_console.get(f"/cases/{elsewhere}").status_code == 404
    page = worker_console.get(f"/cases/{day.refer(0, days_back=1)}")
    body = form_fields(page, "attempt") | {"attempt_date": days_ago(0).isoformat(), "attempt_time": "00:00"}
    assert worker_console.post(f"/cases/{elsewhere}/attempt", data=body).status_code == 404
    assert day.case(elsewhere)["detail"] == "case not found"  # not even readable with the worker's token

    with TestClient(create_app(console_settings, day_factory, clock=clock)) as console:
        for role in ("finance", f"manager:{day.worker['provider_id']}", f"referrer:{day.first_practice}"):
            sign_in(console, role)
            for path in ("/today", "/caseload", f"/cases/{elsewhere}"):
                refused = console.get(path)
                assert refused.status_code == 403 and "You cannot see this page" in refused.text, (role, path)


def test_a_form_without_its_csrf_token_changes_nothing(day, worker_console):
    case_id = day.refer(0, days_back=3)
    body = {"attempt_date": days_ago(1).isoformat(), "attempt_time": "09:00", "idempotency_key": "k-1"}
    refused = worker_console.post(f"/cases/{case_id}/attempt", data=body)
    assert refused.status_code == 403 and "The form could not be accepted" in refused.text
    assert day.case(case_id)["contact_attempts"] == []


def test_engagement_down_gets_the_try_again_page(day, day_factory, console_settings, clock):
    def down(service: str, base_url: str) -> httpx.Client:
        if service == "engagement":
            return httpx.Client(base_url="http://127.0.0.1:9", timeout=2)
        return day_factory(service, base_url)

    with TestClient(create_app(console_settings, down, clock=clock)) as client:
        sign_in(client, day.user)
        for path in ("/", "/caseload", "/cases/00000000-0000-7000-8000-000000000001"):
            page = client.get(path)
            assert page.status_code == 503 and "engagement service is not answering" in page.text, path
            assert page.headers["Retry-After"] == "30"
