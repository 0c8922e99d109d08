"""A referrer's and a provider manager's pages (issue 19) over FastAPI's TestClient, against real
referral, engagement and reporting services on fresh databases. Cases open in engagement through its
own consumer code fed the referral service's outbox, and the referral service follows case events
through its own consumer code fed engagement's outbox (what the relays would publish).

The referrer refers (every failed eligibility criterion at once; malformed fields beside the field with
nothing stored; a double submission stored once), sees the practice's referrals with names (each read
audited) and where each one is, and reads a discharge summary. The manager sees caseload against
capacity, the queue with waiting times and open safeguarding concerns, changes a capacity (a double
submission stored once, a bad number beside the field) and hands a case to a colleague (both caseloads
change). A referrer and a manager of another organisation get nothing of this one's."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import referrer_and_manager_kit as kit
from casework_kit import days_ago, london_today
from casework_kit import refer as refer_by_api
from console_testkit import bearer, csrf, sign_in
from fastapi.testclient import TestClient
from referrer_and_manager_kit import DOWN, audited, error_beside, patient, post_form, received

from console.entrypoints.app import create_app
from linkwell_runtime.testing import scalar

platform, console = kit.platform, kit.console  # the kit's fixtures


def test_a_referrer_sees_every_failed_eligibility_reason_at_once_then_refers_an_eligible_patient(console, platform):
    sign_in(console, f"referrer:{platform.practice}")
    assert console.get("/refer").status_code == 200

    # what cannot be sent at all: beside its field, no API asked, nothing stored
    missing = post_form(console, "/refer", "/refer", patient(0, nhs_number="", date_of_birth="14/03/1965"))
    assert missing.status_code == 422
    assert "Enter the patient&#39;s NHS number" in error_beside(missing.text, "nhs_number")
    assert "YYYY-MM-DD" in error_beside(missing.text, "date_of_birth")
    # malformed for the API (the check digit): its 422 beside the field, nothing stored
    malformed = post_form(console, "/refer", "/refer", patient(0, nhs_number="9434765918"))
    assert malformed.status_code == 422
    assert "This value was refused" in error_beside(malformed.text, "nhs_number")
    assert 'value="Joan"' in malformed.text  # what was typed is kept
    assert received(platform) == 0

    # well formed but too young and no listed condition: recorded as not eligible, both reasons at once
    ineligible = post_form(console, "/refer", "/refer", patient(0, date_of_birth="1996-03-14", conditions=[]))
    assert ineligible.status_code == 200
    reasons = re.findall(r'<li data-code="([a-z_]+)">', ineligible.text.split('id="ineligible-reasons"')[1])
    assert len(reasons) == 2, reasons
    assert "This patient is not eligible" in ineligible.text

    # eligible, the form sent twice with its key: one referral
    drawn = console.get("/refer")
    key = re.search(r'name="idempotency_key" value="([^"]+)"', drawn.text).group(1)
    first = post_form(console, "/refer", "/refer", patient(1), key=key)
    again = post_form(console, "/refer", "/refer", patient(1), key=key)
    assert first.status_code == again.status_code == 303
    assert first.headers["location"] == again.headers["location"]
    assert received(platform) == 2  # the ineligible one and this one, once
    shown = console.get(first.headers["location"])
    assert "Referral sent" in shown.text and "Arthur Milburn" in shown.text
    assert 'data-step="accepted" data-state="current"' in shown.text

    subject = f"console-referrer:{platform.practice}"
    before = audited(platform, subject)
    listed = console.get("/referrals")
    assert listed.status_code == 200
    rows = re.findall(r'<tr data-referral-id="([^"]+)" data-status="([a-z_]+)">', listed.text)
    assert [status for _, status in rows] == ["accepted", "ineligible"]  # newest first
    assert "Arthur Milburn" in listed.text and "Joan Robson" in listed.text
    assert audited(platform, subject) == before + 2  # each name shown is an audited read


def test_a_referrer_reads_the_discharge_summary_once_the_episode_ends(console, platform):
    sign_in(console, f"referrer:{platform.practice}")
    sent = post_form(console, "/refer", "/refer", patient(2, referred_on=days_ago(20).isoformat()))
    referral_id = sent.headers["location"].split("/")[2].split("?")[0]
    assert "still open" in console.get(f"/referrals/{referral_id}").text
    platform.open_cases()
    worker = platform.worker_headers(platform.workers[0])
    engagement = platform.apis["engagement"]
    contact = {
        "occurred_at": f"{days_ago(18).isoformat()}T10:00:00+00:00",
        "mode": "telephone",
        "duration_minutes": 20,
        "attended": True,
    }
    assert engagement.post(f"/cases/{referral_id}/contacts", json=contact, headers=worker).status_code == 201
    discharge = {"discharged_on": days_ago(2).isoformat(), "reason": "goals_met"}
    assert engagement.post(f"/cases/{referral_id}/discharge", json=discharge, headers=worker).status_code == 201
    platform.follow_cases()

    page = console.get(f"/referrals/{referral_id}")
    summary = page.text.split('id="discharge-summary"')[1].split("</dl>")[0]
    assert "Ended: discharged" in summary and "goals met" in summary
    assert days_ago(18).isoformat() in summary  # the first contact
    sent = page.text.split('id="sent-to-practice"')[1].split("</dl>")[0]  # engagement's, on the practice topic
    assert 'Contacts attended</dt><dd class="nhsuk-summary-list__value">1<' in sent
    assert "Referral to social prescribing service" in sent
    assert 'id="outcomes-not-shared"' in page.text  # no consent to share outcomes: no Stars, goals or services
    listed = console.get("/referrals").text
    assert f'data-referral-id="{referral_id}" data-status="discharged"' in listed


def test_a_manager_changes_a_capacity_and_hands_a_case_to_a_colleague_and_both_caseloads_change(console, platform):
    a, b = (str(w["link_worker_id"]) for w in platform.workers)
    referrer = bearer("referrer", platform.secret, practice=platform.practice)
    case_id = str(
        refer_by_api(platform.apis["referral"], platform.secret, 3, days_ago(10), platform.practice)["referral_id"]
    )
    platform.open_cases()
    assert platform.caseloads()[a] == 1
    sign_in(console, f"manager:{platform.provider}")

    team = console.get("/team")
    assert team.status_code == 200
    assert f'data-link-worker-id="{a}" data-caseload="1" data-capacity="1"' in team.text
    assert "Nobody is waiting" in team.text

    # capacity: a bad number beside the field, nothing stored; then B's raised, sent twice, stored once
    updates = f"SELECT count(*) FROM events WHERE event_type = 'LinkWorkerUpdated' AND aggregate_id = '{b}'"
    before = scalar(platform.referral_db, updates)
    bad = post_form(console, f"/team/link-workers/{b}", f"/team/link-workers/{b}/capacity", {"capacity": "lots"})
    assert bad.status_code == 422 and "whole number" in error_beside(bad.text, "capacity")
    drawn = console.get(f"/team/link-workers/{b}")
    key = re.search(r'name="idempotency_key" value="([^"]+)"', drawn.text).group(1)
    for _ in range(2):
        raised = post_form(
            console, f"/team/link-workers/{b}", f"/team/link-workers/{b}/capacity", {"capacity": "2"}, key=key
        )
        assert raised.status_code == 303
    assert scalar(platform.referral_db, updates) == before + 1
    assert "Capacity changed." in console.get(raised.headers["location"]).text

    # the case handed from A to B (engagement), then followed by the referral service: both caseloads change
    subject = f"console-manager:{platform.provider}"
    before = audited(platform, subject)
    page = console.get(f"/team/link-workers/{a}")
    assert "Ken Shearer" in page.text
    assert audited(platform, subject) == before + 1  # the name read through the referral service, audited
    refused = post_form(
        console, f"/team/link-workers/{a}", f"/team/cases/{case_id}/reassignment", {"from_link_worker_id": a}
    )
    assert refused.status_code == 422 and "Choose the colleague" in error_beside(refused.text, f"to_{case_id}")
    drawn = console.get(f"/team/link-workers/{a}").text
    key = re.search(rf'/team/cases/{case_id}/reassignment".*?name="idempotency_key" value="([^"]+)"', drawn, re.S)
    for _ in range(2):  # the form sent twice: one reassignment
        moved = post_form(
            console,
            f"/team/link-workers/{a}",
            f"/team/cases/{case_id}/reassignment",
            {"from_link_worker_id": a, "link_worker_id": b},
            key=key.group(1),
        )
        assert moved.status_code == 303, moved.text
    reassigned = "SELECT count(*) FROM events WHERE event_type = 'CaseReassigned' AND aggregate_id = %s"
    assert scalar(platform.engagement_db, reassigned, (case_id,)) == 1
    assert "Case handed over." in console.get(moved.headers["location"]).text
    assert case_id in console.get(f"/team/link-workers/{b}").text  # engagement: B holds it now
    platform.follow_cases()
    assert {a: platform.caseloads()[a], b: platform.caseloads()[b]} == {a: 0, b: 1}
    team = console.get("/team").text
    assert f'data-link-worker-id="{a}" data-caseload="0" data-capacity="1"' in team
    assert f'data-link-worker-id="{b}" data-caseload="1" data-capacity="2"' in team

    # the queue: A full again, B full, one more referral waits, with how long
    refer_by_api(platform.apis["referral"], platform.secret, 0, days_ago(3), platform.practice)
    refer_by_api(platform.apis["referral"], platform.secret, 1, days_ago(2), platform.practice)
    waiting = (
        platform.apis["referral"]
        .post(
            "/referrals",
            json={
                "nhs_number": "9990000018",
                "given_name": "Mary",
                "family_name": "Ash",
                "date_of_birth": "1960-01-01",
                "sex": "female",
                "postcode": "NE4 6QA",
                "phone": "0191 496 0000",
                "practice_ods_code": platform.practice,
                "referrer": {"name": "Dr A Khan", "role": "gp"},
                "conditions": ["copd"],
                "referred_on": days_ago(4).isoformat(),
            },
            headers=referrer,
        )
        .json()
    )
    assert waiting["status"] == "accepted"  # its practice is not told it waits: the manager's queue says
    queue = console.get("/team").text.split('id="queue"')[1].split("</table>")[0]
    assert f'data-referral-id="{waiting["referral_id"]}"' in queue and "1 eligible referral waiting" in queue

    # a safeguarding concern raised on B's case is on the manager's page
    concern = {"category": "neglect", "risk_level": "high", "description": "Not eating"}
    raised = platform.apis["engagement"].post(
        f"/cases/{case_id}/safeguarding-concerns",
        json=concern,
        headers=platform.worker_headers(platform.workers[1]),
    )
    assert raised.status_code == 201, raised.text
    concerns = console.get("/team").text.split('id="concerns"')[1].split("</table>")[0]
    assert f'data-concern-id="{raised.json()["concern_id"]}"' in concerns and "High" in concerns
    assert str(london_today() - timedelta(days=0)) in concerns


def test_a_referrer_and_a_manager_of_another_organisation_get_nothing_of_it(console, platform):
    case_id = str(
        refer_by_api(platform.apis["referral"], platform.secret, 4, days_ago(5), platform.practice)["referral_id"]
    )
    platform.open_cases()
    a = str(platform.workers[0]["link_worker_id"])

    sign_in(console, f"referrer:{platform.other_practice}")
    assert case_id not in console.get("/referrals").text
    assert console.get(f"/referrals/{case_id}").status_code == 404
    assert console.get("/team").status_code == 403

    console.cookies.clear()
    sign_in(console, f"manager:{platform.other_provider}")
    team = console.get("/team").text
    assert a not in team and case_id not in team
    assert console.get(f"/team/link-workers/{a}").status_code == 404
    drawn = console.get("/team")
    taken = console.post(
        f"/team/cases/{case_id}/reassignment",
        data={"csrf_token": csrf(drawn), "link_worker_id": a, "idempotency_key": "k-1"},
        follow_redirects=False,
    )
    assert taken.status_code in (403, 404, 422)
    assert platform.caseloads()[a] == 1  # nothing moved
    assert console.get("/refer").status_code == 403


def test_the_team_page_says_try_again_when_engagement_is_down(platform, console_settings):
    def factory(service: str, base_url: str) -> httpx.Client:
        live = {k: v for k, v in platform.apis.items() if k != "engagement"}
        return live.get(service) or httpx.Client(base_url=DOWN, timeout=2)

    with TestClient(create_app(console_settings, factory)) as console:
        sign_in(console, f"manager:{platform.provider}")
        page = console.get("/team")
        assert page.status_code == 503 and "engagement service is not answering" in page.text
