"""Finance exports in CSV/XLSX with stable columns, and the dashboards' metrics (scoped)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime

from openpyxl import load_workbook
from reporting_builders import PROVIDER_A, PROVIDER_B, WORKER_2
from reporting_testkit import case_envelopes, consume, engaged_case, query, referral_envelopes

from contracts.engagement import CaseDischarged, LinkageMade, LinkageUpdated

LINE_COLUMNS = [
    "outcome_id",
    "outcome_type",
    "patient_id",
    "cohort",
    "measured_quarter",
    "achieved_on",
    "amount",
    "payer_share_ccg",
    "payer_share_cbo",
    "payer_share_sof",
    "provider_id",
    "link_worker_id",
    "rulebook",
    "evidence",
]


def _world(settings):
    """Provider A: an engaged case with a +3 review, linkages, discharged. Provider B: a baseline only."""
    a, _ = engaged_case(date(2025, 1, 2), date(2025, 1, 10), 40)
    a.star(date(2025, 6, 10), 43)
    a._add(
        LinkageMade,
        date(2025, 2, 1),
        linkage_id="00000000-0000-7000-8000-00000000c001",
        service_id="00000000-0000-7000-8000-00000000d001",
        category="physical_activity",
        made_on=date(2025, 2, 1),
    )
    a._add(
        LinkageUpdated,
        date(2025, 2, 3),
        linkage_id="00000000-0000-7000-8000-00000000c001",
        from_status="suggested",
        to_status="referred",
        on=date(2025, 2, 3),
    )
    a._add(
        CaseDischarged,
        date(2025, 7, 1),
        reason="goals_met",
        discharged_on=date(2025, 7, 1),
        contacts_count=4,
        stars_count=2,
    )
    b, _ = engaged_case(date(2025, 2, 5), date(2025, 2, 20), 30, provider_id=PROVIDER_B, link_worker_id=WORKER_2)
    consume(
        settings,
        referral_envelopes(a, date(2025, 1, 2))
        + case_envelopes(a)
        + referral_envelopes(b, date(2025, 2, 5), nhs_number="9434765870")
        + case_envelopes(b),
    )
    return a, b


def test_the_payable_report_exports_as_csv_and_xlsx_with_stable_columns(settings, client, token):
    _world(settings)
    as_json = client.get("/outcomes/payable", headers=token()).json()
    as_csv = client.get("/outcomes/payable", params={"format": "csv"}, headers=token())
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(as_csv.text)))
    assert rows[0] == LINE_COLUMNS
    assert rows[1][0] == as_json["lines"][0]["outcome_id"] and rows[1][6:10] == ["20000", "14000", "4000", "2000"]
    assert rows[1][5] == "2025-06-10"
    as_xlsx = client.get("/outcomes/payable", params={"format": "xlsx"}, headers=token())
    book = load_workbook(io.BytesIO(as_xlsx.content))
    assert book.sheetnames == ["lines", "totals_by_payer", "totals_by_outcome", "totals_by_provider", "total"]
    sheet = [list(r) for r in book["lines"].iter_rows(values_only=True)]
    assert sheet[0] == LINE_COLUMNS and sheet[1][6] == 200  # pounds, in a currency cell
    achieved, amount = book["lines"].cell(2, 6), book["lines"].cell(2, 7)
    assert achieved.is_date and achieved.value.date() == date(2025, 6, 10) and "£" in amount.number_format
    assert [list(r) for r in book["total"].iter_rows(values_only=True)] == [["amount"], [200]]
    assert [list(r) for r in book["totals_by_outcome"].iter_rows(values_only=True)] == [
        ["outcome_type", "amount"],
        ["W", 200],
    ]


def test_claims_and_evidence_export_too(settings, client, token, clock):
    _world(settings)
    clock.now = datetime(2025, 7, 5, tzinfo=UTC)
    assert client.post("/claims", json={"period": "2025-06"}, headers=token()).status_code == 201
    rows = list(csv.reader(io.StringIO(client.get("/claims/2025-06", params={"format": "csv"}, headers=token()).text)))
    assert rows[0] == ["kind", *LINE_COLUMNS] and rows[1][0] == "outcome"
    book = load_workbook(io.BytesIO(client.get("/claims/2025-06", params={"format": "xlsx"}, headers=token()).content))
    assert book["lines"].cell(2, 1).value == "outcome"
    [line] = client.get("/outcomes/payable", headers=token()).json()["lines"]
    evidence = client.get(f"/outcomes/{line['outcome_id']}/evidence", params={"format": "csv"}, headers=token())
    header, *items = list(csv.reader(io.StringIO(evidence.text)))
    assert header == ["id", "kind", "event_type", "case_id", "occurred_at", "recorded_at", "payload"]
    assert [i[0] for i in items] == line["evidence"] and json.loads(items[0][6])


def test_the_funnel_counts_each_stage_per_practice_provider_and_month(settings, client, token):
    _world(settings)
    items = client.get("/metrics/funnel", headers=token("operator")).json()["items"]
    jan = next(i for i in items if i["month"] == "2025-01" and i["provider_id"] == str(PROVIDER_A))
    assert (jan["received"], jan["eligible"], jan["allocated"], jan["engaged"]) == (1, 1, 1, 1)
    july = next(i for i in items if i["month"] == "2025-07")
    assert july["discharged"] == 1 and july["discharged_by_reason"] == {"goals_met": 1}
    scoped = client.get("/metrics/funnel", headers=token("provider_manager", provider_id=str(PROVIDER_B))).json()
    assert {i["provider_id"] for i in scoped["items"]} == {str(PROVIDER_B)}
    as_csv = client.get("/metrics/funnel", params={"format": "csv"}, headers=token())
    assert as_csv.text.splitlines()[0].startswith("month,practice_ods_code,provider_id,received,eligible")


def test_caseloads_wellbeing_and_linkages(settings, client, token):
    _world(settings)
    caseload = client.get("/metrics/caseload", headers=token()).json()["items"]
    assert {(i["provider_id"], i["open_cases"], i["cases_held"]) for i in caseload} == {
        (str(PROVIDER_A), 0, 1),
        (str(PROVIDER_B), 1, 1),
    }
    wellbeing = {i["provider_id"]: i for i in client.get("/metrics/wellbeing", headers=token()).json()["items"]}
    assert wellbeing[str(PROVIDER_A)]["reviewed"] == 1 and wellbeing[str(PROVIDER_A)]["total_change_sum"] == 3
    assert sum(wellbeing[str(PROVIDER_A)]["area_change_sum"].values()) == 3
    assert wellbeing[str(PROVIDER_B)]["baselines"] == 1 and wellbeing[str(PROVIDER_B)]["total_change_mean"] is None
    mine = client.get("/metrics/wellbeing", headers=token("provider_manager", provider_id=str(PROVIDER_B))).json()
    assert [i["provider_id"] for i in mine["items"]] == [str(PROVIDER_B)]
    linkages = client.get("/metrics/linkages", headers=token()).json()["items"]
    assert linkages == [
        {"provider_id": str(PROVIDER_A), "category": "physical_activity", "status": "referred", "count": 1}
    ]
    assert client.get("/metrics/caseload", headers=token("link_worker")).status_code == 403
    assert (
        client.get(
            "/metrics/caseload",
            params={"provider_id": str(PROVIDER_A)},
            headers=token("provider_manager", provider_id=str(PROVIDER_B)),
        ).status_code
        == 403
    )


def test_projections_do_not_depend_on_how_the_topics_interleave(settings, client, token):
    a, b = _world(settings)
    in_order = [client.get(f"/metrics/{m}", headers=token()).json() for m in ("funnel", "caseload", "wellbeing")]
    for table in ("referral_progress", "case_holders", "stars", "linkages", "facts", "processed_events"):
        query(settings, f"DELETE FROM {table}")
    consume(settings, case_envelopes(b) + case_envelopes(a))  # engagement's topic first, in another batch
    consume(
        settings,
        referral_envelopes(b, date(2025, 2, 5), nhs_number="9434765870") + referral_envelopes(a, date(2025, 1, 2)),
    )
    assert [
        client.get(f"/metrics/{m}", headers=token()).json() for m in ("funnel", "caseload", "wellbeing")
    ] == in_order


def test_an_unknown_payer_or_an_unstorable_known_at_is_a_422_on_that_parameter(client, token):
    for params, loc in (
        ({"payer": "nobody"}, ["query", "payer"]),
        ({"known_at": "2026-01-01T00:00:00+16:00"}, None),
        ({"known_at": "0001-01-01T00:00:00+23:59"}, ["query", "known_at"]),
    ):
        answer = client.get("/outcomes/payable", params=params, headers=token())
        if loc is None:  # a valid instant with an offset PostgreSQL cannot store: answered in UTC
            assert answer.status_code == 200, answer.text
            assert answer.json()["known_at"].startswith("2025-12-31T08:00:00")
        else:
            assert answer.status_code == 422 and answer.json()["errors"][0]["loc"] == loc
