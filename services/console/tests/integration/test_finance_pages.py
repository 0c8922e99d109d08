"""The finance pages over a real reporting service: totals equal to the API's, lines, downloads, evidence,
what changed, claims, uploads, the provider manager's scope, bad input and a service that is down."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal

import httpx
import openpyxl
from console_testkit import (
    CORRECTION_AFTER,
    CORRECTION_BEFORE,
    HOSPITAL_CSV_WITH_A_BAD_ROW,
    bearer,
    csrf,
    sign_in,
)
from fastapi.testclient import TestClient

from console.config import Settings
from console.entrypoints.app import create_app

SECRET = Settings().jwt_secret


def _pence(html: str, table_id: str) -> list[int]:
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return [int(p) for p in re.findall(r'data-pence="(-?\d+)"', table)]


def test_totals_by_payer_equal_the_reporting_apis(console, apis, seeded):
    sign_in(console, "finance")
    page = console.get("/payable", params={"as_of": "2025-12-31"})
    assert page.status_code == 200
    api = apis["reporting"].get("/outcomes/payable", params={"as_of": "2025-12-31"}, headers=bearer("finance", SECRET))
    totals = api.json()["totals"]
    assert totals["amount"] == 40000  # the corrected review no longer qualifies
    shown = dict(re.findall(r'data-pence="(-?\d+)" data-payer="(\w+)"', page.text))
    assert {payer: int(pence) for pence, payer in shown.items()} == totals["by_payer"]
    assert list(shown.values()) == ["ccg", "cbo", "sof"]  # the rulebook's order
    assert "£400.00" in page.text and "£280.00" in page.text  # CCG's 70%
    assert sum(_pence(page.text, "totals-by-provider")) == totals["amount"]


def test_lines_show_names_sort_and_filter(console, apis, seeded):
    sign_in(console, "finance")
    names = {
        p["provider_id"]: p["name"]
        for p in apis["referral"].get("/providers", headers=bearer("operator", SECRET)).json()
    }
    page = console.get("/payable", params={"as_of": "2025-12-31", "sort": "achieved_on", "order": "desc"})
    rows = re.findall(r'<tr data-outcome-id="[^"]+">\s*<td>[^<]*</td><td>W</td><td>(\d{4}-\d\d-\d\d)</td>', page.text)
    assert rows == sorted(rows, reverse=True) and len(rows) == 2
    assert names[seeded.provider_a] in page.text and names[seeded.provider_b] in page.text
    only_b = console.get("/payable", params={"as_of": "2025-12-31", "provider": seeded.provider_b})
    assert _pence(only_b.text, "lines") == [20000] and "1 lines match" in only_b.text


def test_pages_of_lines(console, seeded):
    console_settings = console.app.state.settings
    console_settings.page_size = 1
    sign_in(console, "finance")
    first = console.get("/payable", params={"as_of": "2025-12-31"})
    assert "showing 1 to 1" in first.text and "Page 2 of 2" in first.text
    second = console.get("/payable", params={"as_of": "2025-12-31", "page": "2"})
    assert "showing 2 to 2" in second.text and "Page 1 of 2" in second.text


def test_downloads_are_what_the_page_shows_with_real_date_and_currency_cells(console, seeded):
    sign_in(console, "finance")
    query = {"as_of": "2025-12-31", "provider": seeded.provider_a, "sort": "amount"}
    shown = console.get("/payable", params=query)
    as_csv = console.get("/payable.csv", params=query)
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [r["outcome_id"] for r in rows] == re.findall(r'<tr data-outcome-id="([^"]+)"', shown.text)
    assert rows[0]["amount"] == "200.00"
    as_xlsx = console.get("/payable.xlsx", params=query)
    sheet = openpyxl.load_workbook(io.BytesIO(as_xlsx.content)).active
    header = [c.value for c in sheet[1]]
    achieved, amount = sheet.cell(2, header.index("achieved_on") + 1), sheet.cell(2, header.index("amount") + 1)
    assert sheet.max_row == 1 + len(rows)
    assert achieved.value.date() == date(2025, 6, 10) and achieved.is_date
    assert Decimal(str(amount.value)) == Decimal("200.00") and "£" in amount.number_format
    by_payer = openpyxl.load_workbook(io.BytesIO(as_xlsx.content))["totals_by_payer"]
    assert [(r[0], Decimal(str(r[1]))) for r in by_payer.iter_rows(min_row=2, values_only=True)] == [
        ("CCG", Decimal("140.00")),
        ("Commissioning Better Outcomes", Decimal("40.00")),
        ("Social Outcomes Fund", Decimal("20.00")),
        ("total", Decimal("200.00")),
    ]


def test_a_lines_evidence_is_a_timeline_with_the_reason_in_words(console, seeded):
    sign_in(console, "finance")
    page = console.get("/payable", params={"as_of": "2025-12-31", "provider": seeded.provider_a})
    outcome_id = re.search(r'<tr data-outcome-id="([^"]+)"', page.text).group(1)
    line = console.get(f"/payable/{outcome_id}", params={"as_of": "2025-12-31"})
    assert line.status_code == 200
    assert "review of 2025-06-10 scored 43, baseline 40 (taken 2025-01-10), 151 days after the baseline" in line.text
    assert "Wellbeing star recorded" in line.text and 'id="rulebook"' in line.text


def test_what_changed_around_a_correction(console, seeded):
    sign_in(console, "finance")
    params = {"as_of": "2025-12-31", "before": CORRECTION_BEFORE, "after": CORRECTION_AFTER}
    page = console.get("/changes", params=params)
    assert page.status_code == 200
    assert "0 added, 1 removed, 0 changed" in page.text and "−£200.00" in page.text
    assert str(seeded.corrected_case.patient_id) in page.text.split('id="removed"', 1)[1]


def test_bad_moments_get_a_message_and_no_ledger(console, seeded):
    sign_in(console, "finance")
    no_zone = console.get("/payable", params={"known_at": "2025-09-01T12:00"})
    assert (
        no_zone.status_code == 422 and "Add the zone to the moment" in no_zone.text and 'id="lines"' not in no_zone.text
    )
    bad_date = console.get("/payable", params={"as_of": "2025-13-45"})
    assert bad_date.status_code == 422 and "Enter the effective date as YYYY-MM-DD" in bad_date.text
    changes = console.get("/changes", params={"before": "yesterday", "after": CORRECTION_AFTER})
    assert changes.status_code == 422 and "with its zone" in changes.text


def test_a_provider_manager_sees_only_their_organisation(console, seeded):
    page = console.get("/sign-in")
    console.post("/sign-in", data={"user": f"manager:{seeded.provider_b}", "csrf_token": csrf(page)})
    payable = console.get("/payable", params={"as_of": "2025-12-31"})
    assert payable.status_code == 200 and _pence(payable.text, "totals-by-provider") == [20000]
    assert console.get("/claims").status_code == 403 and console.get("/uploads").status_code == 403


def test_an_upload_with_a_bad_row_lists_every_problem_and_applies_nothing(console, seeded):
    sign_in(console, "finance")
    page = console.get("/uploads")
    files = {"file": ("activity.csv", HOSPITAL_CSV_WITH_A_BAD_ROW.encode(), "text/csv")}
    answer = console.post("/uploads", data={"kind": "hospital-activity", "csrf_token": csrf(page)}, files=files)
    assert answer.status_code == 422
    errors = answer.text.split('id="row-errors"', 1)[1]
    assert "<td>3</td>" in errors and "check digit" in errors and "<td>4</td>" in errors
    good = "nhs_number,activity_type,activity_date,cost_pence\n9434765919,admission,2025-04-02,150000\n"
    files = {"file": ("activity.csv", good.encode(), "text/csv")}
    accepted = console.post("/uploads", data={"kind": "hospital-activity", "csrf_token": csrf(page)}, files=files)
    assert accepted.status_code == 201 and re.search(r'id="rows-applied">1<', accepted.text)


def test_a_file_that_is_not_csv_or_too_large_is_refused_on_the_page(console, console_settings, seeded):
    sign_in(console, "finance")
    token = csrf(console.get("/uploads"))
    xlsx = {
        "file": ("activity.xlsx", b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    }
    answer = console.post("/uploads", data={"kind": "hospital-activity", "csrf_token": token}, files=xlsx)
    assert answer.status_code == 422 and "must be a CSV file" in answer.text
    console_settings.max_upload_bytes = 10
    big = {"file": ("activity.csv", b"quarter,per_head_cost_pence\n2025Q1,100\n", "text/csv")}
    answer = console.post("/uploads", data={"kind": "comparison-costs", "csrf_token": token}, files=big)
    assert answer.status_code == 422 and "larger than" in answer.text


def test_closing_a_claim_needs_the_preview_and_an_explicit_confirmation(console, seeded):
    sign_in(console, "finance")
    preview = console.get("/claims/close", params={"period": "2025-06"})
    assert preview.status_code == 200 and "£400.00" in preview.text
    form = {"period": "2025-06", "csrf_token": csrf(preview)}
    key = re.search(r'name="idempotency_key" value="([^"]+)"', preview.text).group(1)
    unconfirmed = console.post("/claims/close", data=form | {"idempotency_key": key})
    assert unconfirmed.status_code == 422 and "Confirm that this claim" in unconfirmed.text
    assert console.get("/claims/2025-06").status_code == 404
    closed = console.post("/claims/close", data=form | {"idempotency_key": key, "confirm": "yes"})
    assert closed.status_code == 200 and "Claim for 2025-06" in closed.text and "£400.00" in closed.text
    again = console.post("/claims/close", data=form | {"idempotency_key": "another", "confirm": "yes"})
    assert again.status_code == 409


def test_a_reporting_service_that_is_down_gets_a_try_again_page(apis, console_settings):
    def factory(service: str, base_url: str) -> httpx.Client:
        return apis["referral"] if service == "referral" else httpx.Client(base_url="http://127.0.0.1:9", timeout=2)

    with TestClient(create_app(console_settings, factory)) as console:
        sign_in(console, "finance")
        page = console.get("/payable")
        assert page.status_code == 503 and "Try again" in page.text and "Traceback" not in page.text


def test_charts_are_svg_with_tables_of_the_same_figures(console, seeded):
    sign_in(console, "finance")
    page = console.get("/charts", params={"as_of": "2025-12-31"})
    assert page.status_code == 200 and page.text.count("<svg") == 3  # the third: test_star_change_chart.py
    assert "<td>2025-06</td>" in page.text.split('id="monthly-table"', 1)[1]
    assert _pence(page.text, "cumulative-table")[-3:] == [28000, 8000, 4000]  # CCG, CBO, SOF of £400


def test_what_a_person_types_is_escaped_on_the_page(console, seeded):
    sign_in(console, "finance")
    page = console.get("/payable", params={"as_of": "2025-12-31", "search": '"><script>alert(1)</script>'})
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
