"""A link worker's day in a real Chromium (issue 19), against real referral, engagement and directory APIs
and the console under uvicorn: the worker signs in and sees today's list (an overdue first contact, a
Star review overdue), opens the case whose first contact is due and records it, opens the case whose
review is due and records a Star (a wrong score first, refused beside its field), and sees each item
leave the list; the caseload is searched by name. Then the case is moved on: the Star just recorded is
corrected (its reason given), the patient's phone corrected, a service found in the directory by category and distance from the
patient's postcode is linked and a stale linkage is marked referred (leaving the list), the action plan
is printed, and a patient is discharged after the preview of the summary their practice will be sent
(leaving the list). Each new page is screenshotted
(.local/test-artefacts/console) and checked with axe-core: no serious or critical violation."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
from browser_kit import free_port, screenshot, serious_violations, serving, uvicorn
from casework_kit import days_ago, directory_settings, engagement_settings, pump, refer
from console_testkit import bearer, prepare_referral, referral_settings
from star_kit import STAR

from linkwell_runtime.settings import DEVELOPMENT_JWT_SECRET as SECRET
from linkwell_runtime.testing.database import admin

README_SHOT = Path(__file__).resolve().parents[2] / "docs" / "link-worker-today.png"


@dataclass(frozen=True)
class Day:
    console: str
    engagement: str
    worker: dict
    first_contact_case: str  # Joan Robson: allocated 5 days ago, not contacted
    review_case: str  # Ada Charlton: a baseline Star 200 days ago, its review overdue; a linkage 20 days old
    stale_linkage: str
    quiet_case: str  # Arthur Milburn: allocated today, first contact due


@pytest.fixture(scope="module")
def day(postgres_url: str) -> Iterator[Day]:
    names = [f"t_console_lw_{uuid.uuid4().hex[:12]}" for _ in range(4)]
    for name in names:
        admin(postgres_url, f'CREATE DATABASE "{name}"')
    parts = urlsplit(postgres_url)
    referral_db, engagement_db, directory_db, console_db = (
        urlunsplit((parts.scheme, parts.netloc, f"/{n}", parts.query, "")) for n in names
    )
    prepare_referral(referral_settings(referral_db))
    engagement = engagement_settings(engagement_db)
    directory_settings(directory_db)
    ports = {name: free_port() for name in ("referral", "engagement", "directory", "console")}
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    unused = {"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9"}
    processes = []
    try:
        for name, factory, env in (
            ("referral", "referral.entrypoints.api:app_from_env", {"DATABASE_URL": referral_db}),
            ("engagement", "engagement.entrypoints.api:app_from_env", {"DATABASE_URL": engagement_db}),
            (
                "directory",
                "directory.entrypoints.api:app_from_env",
                {"DATABASE_URL": directory_db, "SEED_DEMO_DATA": "true"},
            ),
            (
                "console",
                "console.entrypoints.app:app_from_env",
                {
                    "DATABASE_URL": console_db,
                    "REFERRAL_URL": urls["referral"],
                    "ENGAGEMENT_URL": urls["engagement"],
                    "DIRECTORY_URL": urls["directory"],
                    "REPORTING_URL": "http://127.0.0.1:9",
                },
            ),
        ):
            processes.append(uvicorn(factory, ports[name], {**unused, **env}, f"{name}-api"))
        for name, process in zip(urls, processes, strict=True):
            serving(process, urls[name], timeout=90)
        yield _seed(urls, engagement, referral_db, directory_db)
    finally:
        for process in processes:
            if not process.alive():
                print(f"----- {process.name} (exit {process.returncode}) -----\n{process.log_tail()}")
            process.stop()
        for name in names:
            admin(postgres_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _seed(urls: dict[str, str], engagement, referral_db: str, directory_db: str) -> Day:
    """Three referrals to one link worker (the provider's others are given no room), their cases
    opened in engagement, and a baseline Star 200 days ago on one of them, through the public APIs."""
    operator = bearer("operator", SECRET)
    with httpx.Client(base_url=urls["referral"], timeout=30) as referral:
        worker = referral.get("/link-workers", headers=operator).json()[0]
        provider = worker["provider_id"]
        practices = referral.get("/practices", headers=operator).json()
        practice = next(p["ods_code"] for p in practices if p["provider_id"] == provider and p["participating"])
        for other in referral.get("/link-workers", params={"provider_id": provider}, headers=operator).json():
            if other["link_worker_id"] != worker["link_worker_id"]:
                patched = referral.patch(
                    f"/link-workers/{other['link_worker_id']}", json={"capacity": 0}, headers=operator
                )
                assert patched.status_code == 200, patched.text
        joan = refer(referral, SECRET, 0, days_ago(5), practice=practice)["referral_id"]
        arthur = refer(referral, SECRET, 1, days_ago(0), practice=practice)["referral_id"]
        ada = refer(referral, SECRET, 2, days_ago(200), practice=practice)["referral_id"]
    pump(engagement, referral_db, directory_db)
    scope = {"provider_id": provider, "link_worker_id": worker["link_worker_id"]}
    headers = bearer("link_worker", SECRET, **scope)
    with httpx.Client(base_url=urls["engagement"], timeout=30) as api:
        contact = {
            "occurred_at": f"{days_ago(199).isoformat()}T10:00:00+00:00",
            "mode": "face_to_face",
            "duration_minutes": 40,
            "venue": "gp_practice",
            "attended": True,
        }
        assert api.post(f"/cases/{ada}/contacts", json=contact, headers=headers).status_code == 201
        star = {"taken_on": days_ago(199).isoformat(), "scores": STAR}
        assert api.post(f"/cases/{ada}/stars", json=star, headers=headers).status_code == 201
        service = httpx.get(f"{urls['directory']}/services", params={"per_page": 1}, timeout=30).json()["contents"][0]
        linkage = {"service_id": service["id"], "category": "physical_activity", "made_on": days_ago(20).isoformat()}
        made = api.post(f"/cases/{ada}/linkages", json=linkage, headers=headers)
        assert made.status_code == 201, made.text
    return Day(
        urls["console"], urls["engagement"], worker, str(joan), str(ada), str(made.json()["linkage_id"]), str(arthur)
    )


@pytest.fixture
def page(browser, day):
    context = browser.new_context(base_url=day.console)
    opened = context.new_page()
    try:
        yield opened
    finally:
        context.close()


def _checked(page, name: str) -> None:
    screenshot(page, name)
    assert serious_violations(page) == [], name


def _kinds(page, case_id: str) -> list[str]:
    return page.locator(f'#today-list tr[data-case-id="{case_id}"]').evaluate_all(
        "rows => rows.map(r => r.dataset.kind)"
    )


def test_a_link_worker_works_through_todays_list(page, day):
    page.goto("/sign-in")
    page.get_by_label(str(day.worker["display_name"]), exact=False).first.check()
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")

    assert page.get_by_role("heading", name="What needs you today").is_visible()
    assert _kinds(page, day.first_contact_case) == ["first_contact"]
    assert sorted(_kinds(page, day.review_case)) == ["linkage", "star_review"]
    assert _kinds(page, day.quiet_case) == ["first_contact"]
    first = page.locator("#today-list tbody tr").first
    assert first.get_attribute("data-case-id") in (day.first_contact_case, day.review_case)
    assert "Overdue" in first.inner_text()  # overdue first
    _checked(page, "link-worker-today")
    shutil.copyfile(screenshot(page, "link-worker-today"), README_SHOT)

    # the first contact: open the case from the list, record it
    page.locator(f'#today-list tr[data-case-id="{day.first_contact_case}"] a').click()
    page.wait_for_url(f"**/cases/{day.first_contact_case}")
    assert page.get_by_role("heading", name="Joan Robson").is_visible()
    assert page.locator("#case-summary").get_by_text("943 476 5919").is_visible()
    _checked(page, "link-worker-case")
    page.fill("#contact_date", days_ago(1).isoformat())
    page.fill("#contact_time", "10:30")
    page.select_option("#contact_mode", "face_to_face")
    page.fill("#contact_duration", "45")
    page.select_option("#contact_venue", "community_centre")
    page.get_by_role("button", name="Record the contact").click()
    page.wait_for_url("**?done=contact")
    assert page.locator("#done").inner_text().strip().endswith("Contact recorded.")
    assert page.locator("#case-status").inner_text() == "Contacted"
    page.get_by_role("link", name="Back to today").click()
    assert _kinds(page, day.first_contact_case) == []
    assert _kinds(page, day.quiet_case) == ["first_contact"]  # still due

    # the Star review: a score out of range first, refused beside its field, then the Star
    page.locator(f'#today-list tr[data-case-id="{day.review_case}"][data-kind="star_review"] a').click()
    page.wait_for_url(f"**/cases/{day.review_case}")
    assert page.locator('#star-chart [data-outline="lw-star-baseline"]').count() == 1
    page.fill("#star_taken_on", days_ago(0).isoformat())
    for area, score in STAR.items():
        page.fill(f"#score_{area}", str(score + 2))
    page.fill("#score_money", "11")
    page.get_by_role("button", name="Record the Star").click()
    assert "This value was refused" in page.locator("#score_money-error").inner_text()
    assert page.locator(".nhsuk-error-summary").is_visible()
    _checked(page, "link-worker-star-refused")
    page.fill("#score_money", "8")
    page.get_by_role("button", name="Record the Star").click()
    page.wait_for_url("**?done=star")
    assert page.locator('#star-chart [data-outline="lw-star-latest"]').count() == 1
    money = page.locator("#star-table tr", has_text="Money").inner_text().split()
    assert money[-3:] == ["6", "8", "+2"]
    _checked(page, "link-worker-case-star")
    page.get_by_role("link", name="Today", exact=True).click()
    assert _kinds(page, day.review_case) == ["linkage"]

    # the caseload, searched by name
    page.get_by_role("link", name="Caseload", exact=True).click()
    assert page.locator("#caseload tbody tr").count() == 3
    page.fill("#q", "milburn")
    page.get_by_role("button", name="Search").click()
    rows = page.locator("#caseload tbody tr")
    assert rows.count() == 1 and rows.first.get_attribute("data-case-id") == day.quiet_case
    _checked(page, "link-worker-caseload")


def test_a_link_worker_moves_a_case_on_and_discharges_after_the_preview(page, day):
    """On the same seeded cases as the day above (after it, the newest Star is the review it recorded)."""
    page.goto("/sign-in")
    page.get_by_label(str(day.worker["display_name"]), exact=False).first.check()
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")

    # a Star correction: the newest Star is chosen first, its scores to start from
    page.goto(f"/cases/{day.review_case}")
    money_was = int(page.locator("#correct_money").input_value())
    page.fill("#correct_money", str(money_was - 1))
    page.get_by_role("button", name="Correct the Star").click()
    assert "This value was refused" in page.locator("#star_correct_reason-error").inner_text()  # a reason is needed
    _checked(page, "link-worker-star-correction-refused")
    page.fill("#star_correct_reason", "Money was misread from the paper Star")
    page.get_by_role("button", name="Correct the Star").click()
    page.wait_for_url("**?done=star_correct")
    money = page.locator("#star-table tr", has_text="Money").inner_text().split()
    assert str(money_was - 1) in money[1:] and str(money_was) not in money[1:]
    _checked(page, "link-worker-star-corrected")

    # the patient's new phone number, corrected from the case page (only the phone is sent, to referral)
    page.get_by_text("Their name, address, postcode, phone or email").click()
    page.fill("#details_phone", "07700 900123")
    page.select_option("#details_reason", "changed")
    _checked(page, "link-worker-details-form")
    page.get_by_role("button", name="Correct the details").click()
    page.wait_for_url("**?done=patient-details")
    assert page.locator("#patient-phone").inner_text().replace(" ", "") == "07700900123"

    # a linkage from a directory search by category and distance from the patient's postcode
    page.select_option("#category", "physical_activity")
    page.select_option("#distance", "20")
    page.get_by_role("button", name="Search the directory").click()
    results = page.locator("#directory-results tbody tr")
    assert results.count() >= 1 and " km" in results.first.inner_text()
    _checked(page, "link-worker-directory-search")
    name = results.first.locator("strong").inner_text()
    results.first.get_by_role("button", name="Link").click()
    page.wait_for_url("**?done=linkage")
    assert page.locator("#linkages-table tbody tr", has_text=name).count() >= 1

    # the stale linkage moved on: it leaves today's list
    page.select_option("#linkage_update_id", day.stale_linkage)
    page.select_option("#linkage_update_status", "referred")
    page.get_by_role("button", name="Update the linkage").click()
    page.wait_for_url("**?done=linkage_update")
    page.get_by_role("link", name="Today", exact=True).click()
    assert "linkage" not in _kinds(page, day.review_case)

    # the action plan to print: goals, steps, linkages and the Star, no staff-only content
    page.goto(f"/cases/{day.review_case}/plan")
    assert page.locator("#star-chart").is_visible() and page.locator("#plan-linkages tbody tr").count() == 2
    _checked(page, "link-worker-action-plan")
    page.emulate_media(media="print")
    assert not page.locator("header.nhsuk-header").is_visible()
    screenshot(page, "link-worker-action-plan-print")
    page.emulate_media(media="screen")

    # a discharge after the preview of its summary: the case leaves today's list
    page.goto("/")
    assert _kinds(page, day.quiet_case) == ["first_contact"]
    page.goto(f"/cases/{day.quiet_case}")
    page.fill("#discharge_on", days_ago(0).isoformat())
    page.get_by_role("button", name="Preview the discharge summary").click()
    assert "Choose the reason" in page.locator("#discharge_reason-error").inner_text()
    page.select_option("#discharge_reason", "declined_further_support")
    page.get_by_role("button", name="Preview the discharge summary").click()
    page.wait_for_url("**/discharge-preview?**")
    summary = page.locator("#discharge-summary").inner_text()
    assert "Social prescribing declined (871711000000103)" in summary and "Declined further support" in summary
    assert page.locator("#outcomes-not-shared").is_visible()
    _checked(page, "link-worker-discharge-preview")
    page.get_by_role("button", name="Discharge and send the summary").click()
    page.wait_for_url("**?done=discharge")
    assert page.locator("#case-status").inner_text() == "Discharged"
    page.get_by_role("link", name="Today", exact=True).click()
    assert _kinds(page, day.quiet_case) == []
