"""A month-end in a real Chromium: finance signs in, checks the totals against the API, opens a line's
evidence, downloads the XLSX, draws the charts (the Star-change distribution equal to the API's),
compares two moments around a correction, uploads a file with a bad row and then a good one (the counts
and the history), closes a claim after its preview and finds it in the claims list; a provider manager
sees only their organisation and gets the 403 page for claims; a console whose reporting service is
down shows its "try again" page. Each main page (sign-in, home, payable, line, charts, what changed,
uploads with errors and accepted, claim preview, claim, claims, 403, 503) is screenshotted
(.local/test-artefacts/console) and checked with axe-core."""

from __future__ import annotations

from datetime import date

import httpx
import openpyxl
from browser_kit import ARTEFACTS, screenshot, serious_violations
from casework_kit import PRACTICE, refer
from console_testkit import (
    CORRECTION_AFTER,
    CORRECTION_BEFORE,
    HOSPITAL_CSV_ACCEPTED,
    HOSPITAL_CSV_WITH_A_BAD_ROW,
    bearer,
)

from console.domain.money import pounds
from linkwell_runtime.settings import DEVELOPMENT_JWT_SECRET

AS_OF = "2025-12-31"


def _sign_in(page, label: str) -> None:
    page.goto("/sign-in")
    page.get_by_label(label, exact=False).first.check()
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def _checked(page, name: str) -> None:
    screenshot(page, name)
    assert serious_violations(page) == [], name


def test_finance_does_a_month_end(page, platform, tmp_path):
    page.goto("/sign-in")
    _checked(page, "sign-in")
    _sign_in(page, "Finance team")
    _checked(page, "home-finance")
    page.keyboard.press("Tab")  # keyboard users reach the skip link first, then the menu
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"

    page.goto(f"/payable?as_of={AS_OF}")
    api = httpx.get(
        f"{platform.reporting}/outcomes/payable",
        params={"as_of": AS_OF},
        headers=bearer("finance", DEVELOPMENT_JWT_SECRET),
    ).json()
    assert page.locator("#total-amount").inner_text() == pounds(api["totals"]["amount"])
    for payer, pence in api["totals"]["by_payer"].items():
        assert page.locator(f'#totals-by-payer td[data-payer="{payer}"]').inner_text() == pounds(pence)
    _checked(page, "payable")

    with page.expect_download() as download:
        page.locator("#download-xlsx").click()
    saved = ARTEFACTS / "payable.xlsx"
    download.value.save_as(saved)
    sheet = openpyxl.load_workbook(saved).active
    assert sheet.max_row - 1 == len(api["lines"])
    assert sum(row[4] for row in sheet.iter_rows(min_row=2, values_only=True)) * 100 == api["totals"]["amount"]

    page.locator("#lines a", has_text="Evidence").first.click()
    assert "days after the baseline" in page.locator("#why").inner_text()
    assert page.locator("#evidence tbody tr").count() >= 3
    _checked(page, "line-evidence")

    page.goto(f"/charts?as_of={AS_OF}")
    assert page.locator("svg.lw-chart").count() == 3
    star = httpx.get(
        f"{platform.reporting}/metrics/star-change",
        params={"as_of": AS_OF},
        headers=bearer("finance", DEVELOPMENT_JWT_SECRET),
    ).json()
    counted = {b["low"]: b["count"] for b in star["total_change"]["bins"] if b["count"]}
    assert counted and page.get_by_role("img", name="Well-being Star change per episode").is_visible()
    assert sorted(
        int(n) for n in page.locator("rect.lw-star-bar").evaluate_all("bars => bars.map(b => b.dataset.count)")
    ) == sorted(counted.values())
    for low, count in counted.items():
        assert page.locator(f'#star-table td[data-low="{low}"]').inner_text() == str(count)
    assert page.locator("#star-reviewed").inner_text() == str(star["reviewed"])
    assert page.locator("#star-baseline-only").inner_text() == str(star["baseline_only"])
    _checked(page, "charts")

    page.goto("/changes")
    page.fill("#as_of", AS_OF)
    page.fill("#before", CORRECTION_BEFORE)
    page.fill("#after", CORRECTION_AFTER)
    page.get_by_role("button", name="Compare").click()
    assert "1 removed" in page.locator("#net").inner_text()
    _checked(page, "what-changed")

    page.goto("/uploads")
    bad = tmp_path / "activity.csv"
    bad.write_text(HOSPITAL_CSV_WITH_A_BAD_ROW)
    page.set_input_files("#file", str(bad))
    page.get_by_role("button", name="Upload").click()
    assert "check digit" in page.locator("#row-errors").inner_text()
    assert "No upload has been accepted yet" in page.locator("#upload-history").inner_text()  # nothing applied
    _checked(page, "upload-errors")
    good = tmp_path / "activity-good.csv"
    good.write_text(HOSPITAL_CSV_ACCEPTED)
    page.set_input_files("#file", str(good))
    page.get_by_role("button", name="Upload").click()
    result = page.locator("#upload-result").inner_text()
    assert page.locator("#rows-applied").inner_text() == "1" and "Not applied: 1 for NHS numbers" in result
    history = page.locator("#upload-history tbody tr")
    assert history.count() == 1 and "Hospital activity" in history.inner_text()
    assert [c.strip() for c in history.locator("td").all_inner_texts()[2:5]] == ["1", "1", "0"]
    _checked(page, "upload-accepted")

    page.goto("/claims")
    page.fill("#close-period", "2025-06")
    page.get_by_role("button", name="Preview the claim").click()
    preview_total = page.locator("#preview-total").inner_text()
    _checked(page, "claim-preview")
    page.check("#confirm")
    page.get_by_role("button", name="Close the claim").click()
    assert page.locator("h1").inner_text() == "Claim for 2025-06"
    assert page.locator("#claim-total").inner_text() == preview_total  # a first claim: no adjustments
    _checked(page, "claim")
    page.goto("/claims")
    assert page.locator("#closed-claims tbody tr").count() == 1
    _checked(page, "claims")
    page.locator("#closed-claims").get_by_role("link", name="2025-06").click()
    assert page.locator("h1").inner_text() == "Claim for 2025-06"
    assert page.locator("#claim-total").inner_text() == preview_total


def test_a_provider_manager_sees_only_their_organisation(page, platform):
    names = {
        p["provider_id"]: p["name"]
        for p in httpx.get(f"{platform.referral}/providers", headers=bearer("operator", DEVELOPMENT_JWT_SECRET)).json()
    }
    _sign_in(page, f"Manager, {names[platform.seeded.provider_b]}")
    page.goto(f"/payable?as_of={AS_OF}")
    providers = page.locator("#totals-by-provider tbody tr")
    assert providers.count() == 1 and names[platform.seeded.provider_b] in providers.inner_text()
    assert names[platform.seeded.provider_a] not in page.locator("#lines").inner_text()
    _checked(page, "payable-provider-manager")
    page.goto("/claims")
    assert page.locator("h1").inner_text() == "You cannot see this page"
    _checked(page, "forbidden")


def test_a_referrer_is_offered_their_own_pages_and_no_finance_data(page, platform):
    page.goto("/sign-in")
    page.locator("label", has_text="(referrer)").first.click()
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    main = page.inner_text("main")
    assert "Refer a patient" in main and "Payable" not in main
    _checked(page, "home-referrer")


def test_an_auditor_reads_who_opened_a_patients_details_and_downloads_it(page, platform, tmp_path):
    referrer = bearer("referrer", DEVELOPMENT_JWT_SECRET, practice=PRACTICE)
    with httpx.Client(base_url=platform.referral) as referral:
        created = refer(referral, DEVELOPMENT_JWT_SECRET, 0, date(2026, 3, 2))
        for _ in range(2):  # the referrer opens the patient's details: an audit row each time
            assert referral.get(f"/referrals/{created['referral_id']}", headers=referrer).status_code == 200
    _sign_in(page, "Auditor (the access audit)")
    page.get_by_role("link", name="Access audit").first.click()
    page.wait_for_url("**/audit")
    rows = page.locator("#audit-rows tbody tr[data-audit-id]")
    assert rows.count() >= 2 and "console-test-referrer" in page.inner_text("#audit-rows")
    _checked(page, "audit")

    page.fill("#since", "yesterday")
    page.get_by_role("button", name="Show the audit").click()
    assert "Enter a moment as YYYY-MM-DDTHH:MM with its zone" in page.inner_text("#since-error")
    assert page.locator("#audit-rows").count() == 0
    _checked(page, "audit-refused")

    page.fill("#since", "2020-01-01T00:00Z")
    page.fill("#subject", "console-test-referrer")
    page.get_by_role("button", name="Show the audit").click()
    assert page.locator("#audit-count strong").inner_text() == "2"
    with page.expect_download() as download:
        page.click("#audit-download")
    saved = tmp_path / "audit.csv"
    download.value.save_as(saved)
    lines = saved.read_text().splitlines()
    assert lines[0].startswith("id,at,subject,role,action,patient_id") and len(lines) == 3
    assert all(",console-test-referrer,referrer,read_identifiable," in line for line in lines[1:])


def test_a_service_that_is_down_gets_a_try_again_page(browser, console_without_reporting):
    context = browser.new_context(base_url=console_without_reporting)
    page = context.new_page()
    try:
        _sign_in(page, "Finance team")  # the sign-in page needs only the referral service
        answer = page.goto(f"/payable?as_of={AS_OF}")
        assert answer.status == 503 and answer.headers["retry-after"] == "30"
        assert page.locator("h1").inner_text() == "Sorry, the service is unavailable"
        assert "Try again" in page.inner_text("main")
        _checked(page, "service-unavailable")
    finally:
        context.close()
