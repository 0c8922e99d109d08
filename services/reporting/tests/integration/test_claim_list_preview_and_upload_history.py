"""GET /claims lists the closed claims; GET /claims/{period}/preview is exactly what POST /claims stores
(and stores nothing); GET /commissioner/uploads lists accepted uploads without patient identifiers."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from reporting_testkit import case_envelopes, consume, engaged_case, query, referral_envelopes

KNOWN_NHS = "9434765919"
UNKNOWN_NHS = "9434765870"
CSV = {"Content-Type": "text/csv"}


def _case_with_review(settings, correct_at: datetime | None = None, nhs_number: str = KNOWN_NHS):
    case, _ = engaged_case(date(2025, 1, 2), date(2025, 1, 10), 40)
    review = case.star(date(2025, 6, 10), 43)
    if correct_at:
        case.corrected(review, 41, correct_at)
    consume(settings, referral_envelopes(case, date(2025, 1, 2), nhs_number=nhs_number) + case_envelopes(case))
    return case


def test_the_preview_is_byte_for_byte_what_closing_then_stores_and_stores_nothing(settings, client, token, clock):
    _case_with_review(settings)
    clock.now = datetime(2025, 7, 5, 9, tzinfo=UTC)
    preview = client.get("/claims/2025-06/preview", headers=token())
    assert preview.status_code == 200, preview.text
    assert query(settings, "SELECT count(*) FROM claims") == [(0,)]
    assert query(settings, "SELECT count(*) FROM outbox") == [(0,)]
    assert [line["amount"] for line in json.loads(preview.content)["lines"]] == [20000]
    closed = client.post("/claims", json={"period": "2025-06"}, headers=token())
    assert closed.status_code == 201 and closed.content == preview.content


def test_the_preview_shows_the_clawback_against_an_earlier_claim(settings, client, token, clock):
    _case_with_review(settings, correct_at=datetime(2025, 7, 20, 12, tzinfo=UTC))
    clock.now = datetime(2025, 7, 5, 9, tzinfo=UTC)
    assert client.post("/claims", json={"period": "2025-06"}, headers=token()).status_code == 201
    clock.now = datetime(2025, 8, 3, 9, tzinfo=UTC)
    preview = client.get("/claims/2025-07/preview", headers=token())
    doc = json.loads(preview.content)
    assert doc["lines"] == [] and [a["kind"] for a in doc["adjustments"]] == ["clawback"]
    assert doc["totals"]["amount"] == -20000
    closed = client.post("/claims", json={"period": "2025-07"}, headers=token())
    assert closed.content == preview.content


def test_the_preview_refuses_what_closing_refuses(client, token, clock):
    assert client.get("/claims/2026-03/preview", headers=token()).status_code == 409  # not ended
    assert client.post("/claims", json={"period": "2025-08"}, headers=token()).status_code == 201
    assert client.get("/claims/2025-08/preview", headers=token()).status_code == 409  # closed
    assert client.get("/claims/2025-07/preview", headers=token()).status_code == 409  # out of order
    for period in ("2025-13", "July"):
        assert client.get(f"/claims/{period}/preview", headers=token()).status_code == 422, period


def test_the_closed_claims_are_listed_newest_first_with_totals_and_counts(settings, client, token, clock):
    assert client.get("/claims", headers=token()).json() == {"items": []}
    _case_with_review(settings, correct_at=datetime(2025, 7, 20, 12, tzinfo=UTC))
    clock.now = datetime(2025, 7, 5, 9, tzinfo=UTC)
    client.post("/claims", json={"period": "2025-06"}, headers=token())
    clock.now = datetime(2025, 8, 3, 9, tzinfo=UTC)
    client.post("/claims", json={"period": "2025-07"}, headers=token())
    answer = client.get("/claims", headers=token())
    assert answer.status_code == 200
    july, june = answer.json()["items"]
    assert july["period"] == "2025-07" and june["period"] == "2025-06"
    assert datetime.fromisoformat(june["closed_at"]) == datetime(2025, 7, 5, 9, tzinfo=UTC)
    assert (june["lines_count"], june["adjustments_count"], june["totals"]["amount"]) == (1, 0, 20000)
    assert (july["lines_count"], july["adjustments_count"], july["totals"]["amount"]) == (0, 1, -20000)
    assert june["totals"] == json.loads(client.get("/claims/2025-06", headers=token()).content)["totals"]


def test_only_finance_lists_and_previews_claims(client, token):
    for role in ("provider_manager", "operator", "link_worker", "referrer"):
        assert client.get("/claims", headers=token(role)).status_code == 403
        assert client.get("/claims/2025-06/preview", headers=token(role)).status_code == 403
    assert client.get("/claims").status_code == 401
    assert client.get("/claims/2025-06/preview").status_code == 401


def test_the_upload_history_lists_each_accepted_upload_without_patient_identifiers(settings, client, token, clock):
    _case_with_review(settings)
    activity = (
        "nhs_number,activity_type,activity_date,cost_pence\n"
        f"{KNOWN_NHS},admission,2025-02-01,150000\n"
        f"{UNKNOWN_NHS},ae,2025-02-02,20000\n"
    )
    clock.now = datetime(2025, 7, 1, 9, tzinfo=UTC)
    first = client.post("/commissioner/hospital-activity", content=activity.encode(), headers=token() | CSV)
    clock.now = datetime(2025, 7, 2, 9, tzinfo=UTC)
    again = client.post("/commissioner/hospital-activity", content=activity.encode(), headers=token() | CSV)
    bad = client.post("/commissioner/comparison-costs", content=b"quarter,cost\n2025Q1,1\n", headers=token() | CSV)
    assert (first.status_code, again.status_code, bad.status_code) == (201, 201, 422)
    clock.now = datetime(2025, 7, 3, 9, tzinfo=UTC)
    costs = client.post(
        "/commissioner/comparison-costs",
        content=b"quarter,per_head_cost_pence\n2025Q1,1000\n2025Q2,1100\n",
        headers=token() | CSV | {"Idempotency-Key": "costs-1"},
    )
    replay = client.post(
        "/commissioner/comparison-costs",
        content=b"quarter,per_head_cost_pence\n2025Q1,1000\n2025Q2,1100\n",
        headers=token() | CSV | {"Idempotency-Key": "costs-1"},
    )
    assert costs.status_code == replay.status_code == 201
    for role in ("finance", "operator"):
        answer = client.get("/commissioner/uploads", headers=token(role))
        assert answer.status_code == 200
        items = answer.json()["items"]
        assert [i["upload_id"] for i in items] == [
            costs.json()["upload_id"],
            again.json()["upload_id"],
            first.json()["upload_id"],
        ]
        cost_row, resent, original = items
        assert cost_row["kind"] == "comparison_costs" and cost_row["quarters"] == ["2025Q1", "2025Q2"]
        assert (cost_row["rows_applied"], cost_row["rows_unknown_nhs_number"], cost_row["rows_already_uploaded"]) == (
            2,
            0,
            0,
        )
        assert original["kind"] == resent["kind"] == "hospital_activity" and original["quarters"] is None
        assert (original["rows_applied"], original["rows_unknown_nhs_number"], original["rows_already_uploaded"]) == (
            1,
            1,
            0,
        )
        assert (resent["rows_applied"], resent["rows_unknown_nhs_number"], resent["rows_already_uploaded"]) == (
            0,
            1,
            1,
        )
        assert datetime.fromisoformat(original["recorded_at"]) == datetime(2025, 7, 1, 9, tzinfo=UTC)
        assert KNOWN_NHS not in answer.text and UNKNOWN_NHS not in answer.text and "patient" not in answer.text


def test_only_finance_and_operators_read_the_upload_history(client, token):
    for role in ("provider_manager", "link_worker", "referrer", "service"):
        assert client.get("/commissioner/uploads", headers=token(role)).status_code == 403, role
    assert client.get("/commissioner/uploads").status_code == 401
