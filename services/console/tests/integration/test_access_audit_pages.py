"""The auditor's page of the access audit: the rows a real referral service wrote when a referrer opened
their patients' details, filtered and paged through the console, every matching row downloaded as CSV;
bad filters refused beside their fields without asking the service; every other role refused."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

from casework_kit import PRACTICE, refer
from console_testkit import bearer, sign_in

PAGE_SIZE = 50  # the console's page of audit rows


def _opened_by_a_referrer(apis, jwt_secret, times: int) -> str:
    """A referral, then its details opened `times` times by its practice (an audit row each); its id."""
    created = refer(apis["referral"], jwt_secret, 0, date(2026, 3, 2))
    referrer = bearer("referrer", jwt_secret, practice=PRACTICE)
    for _ in range(times):
        answer = apis["referral"].get(f"/referrals/{created['referral_id']}", headers=referrer)
        assert answer.status_code == 200, answer.text
    return str(created["referral_id"])


def _audit(apis, jwt_secret, **params) -> dict:
    answer = apis["referral"].get("/audit", params=params, headers=bearer("auditor", jwt_secret))
    assert answer.status_code == 200, answer.text
    return answer.json()


def _row_ids(page) -> list[str]:
    return re.findall(r'<tr data-audit-id="(\d+)"', page.text)


def test_an_auditor_pages_through_the_rows_a_referrer_left_and_narrows_them_to_one_patient(console, apis, jwt_secret):
    referral_id = _opened_by_a_referrer(apis, jwt_secret, PAGE_SIZE + 2)
    total = _audit(apis, jwt_secret)["total"]
    assert total >= PAGE_SIZE + 2
    sign_in(console, "auditor")

    home = console.get("/")
    assert 'href="/audit"' in home.text and 'href="/payable"' not in home.text
    first = console.get("/audit")
    assert first.status_code == 200
    assert f"<strong>{total}</strong> rows" in first.text and "page 1 of 2" in first.text
    assert len(_row_ids(first)) == PAGE_SIZE
    assert "console-test-referrer" in first.text and "read identifiable" in first.text
    following = re.search(r'href="([^"]+)" id="audit-next"', first.text)
    assert following, "no link to the next page"
    second = console.get(following.group(1).replace("&amp;", "&"))
    assert second.status_code == 200 and len(_row_ids(second)) == total - PAGE_SIZE
    assert not set(_row_ids(first)) & set(_row_ids(second))

    patient_id = _audit(apis, jwt_secret, subject="console-test-referrer")["items"][0]["patient_id"]
    narrowed = console.get("/audit", params={"patient_id": patient_id, "subject": "console-test-referrer"})
    assert narrowed.status_code == 200 and f"<strong>{PAGE_SIZE + 2}</strong> rows" in narrowed.text
    assert referral_id in narrowed.text
    nobody = console.get("/audit", params={"subject": "someone-else"})
    assert "<strong>0</strong> rows" in nobody.text and "No row matches." in nobody.text


def test_the_download_holds_every_matching_row_as_the_service_wrote_it(console, apis, jwt_secret):
    _opened_by_a_referrer(apis, jwt_secret, PAGE_SIZE + 2)
    wanted = _audit(apis, jwt_secret, subject="console-test-referrer", page_size=1000)["items"]
    sign_in(console, "auditor")
    download = console.get("/audit.csv", params={"subject": "console-test-referrer"})
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    assert 'filename="access-audit-referral.csv"' in download.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert [int(r["id"]) for r in rows] == [w["id"] for w in wanted]  # every row, oldest first, past one page
    assert {r["subject"] for r in rows} == {"console-test-referrer"}


def test_bad_filters_are_refused_beside_their_fields(console, apis, jwt_secret):
    sign_in(console, "auditor")
    cases = [
        ({"since": "yesterday"}, "since", "Enter a moment as YYYY-MM-DDTHH:MM with its zone"),
        ({"since": "2026-03-01T00:00"}, "since", "Add the zone to the moment"),
        ({"since": "2026-03-02T00:00Z", "until": "2026-03-01T00:00Z"}, "until", "must be after its start"),
        ({"patient_id": "Joan Robson"}, "patient_id", "Enter a patient id as it appears in the audit"),
        ({"subject": "x" * 301}, "subject", "Enter at most 300 characters"),
        ({"since": "2026-03-01T00:00Z" * 100}, "since", "Enter a moment as YYYY-MM-DDTHH:MM with its zone"),
        ({"service": "reporting"}, "service", "Choose the referral service"),
        ({"page": "0"}, "page", "The page must be a whole number from 1"),
    ]
    for params, field, message in cases:
        page = console.get("/audit", params=params)
        assert page.status_code == 422, (params, page.status_code)
        assert message in page.text and f'href="#{field}"' in page.text, params
        assert 'id="audit-rows"' not in page.text
        if field != "page":  # a download has no pages
            download = console.get("/audit.csv", params=params)
            assert download.status_code == 422 and message in download.text, params


def test_the_engagement_audit_down_gets_the_try_again_page(console):
    sign_in(console, "auditor")
    for path in ("/audit", "/audit.csv"):
        page = console.get(path, params={"service": "engagement"})
        assert page.status_code == 503 and "engagement service is not answering" in page.text, path


def test_no_other_role_reaches_the_audit(console, seeded, apis, jwt_secret):
    _opened_by_a_referrer(apis, jwt_secret, 1)
    for user in ("finance", "operator", f"manager:{seeded.provider_a}", f"referrer:{PRACTICE}"):
        sign_in(console, user)
        for path in ("/audit", "/audit.csv"):
            page = console.get(path)
            assert page.status_code == 403, (user, path, page.status_code)
            assert "console-test-referrer" not in page.text
        assert 'href="/audit"' not in console.get("/").text
        console.cookies.clear()
