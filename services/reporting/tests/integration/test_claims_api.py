"""POST /claims freezes a month; GET /claims/{period} gives the same bytes forever; later news
becomes an adjustment on the next claim; ClaimClosed goes out through the outbox."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime

from reporting_testkit import case_envelopes, consume, engaged_case, query, referral_envelopes


def _case_with_review(settings, correct_at: datetime | None = None):
    case, _ = engaged_case(date(2025, 1, 2), date(2025, 1, 10), 40)
    review = case.star(date(2025, 6, 10), 43)
    if correct_at:
        case.corrected(review, 41, correct_at)
    consume(settings, referral_envelopes(case, date(2025, 1, 2)) + case_envelopes(case))
    return case


def test_closing_a_month_stores_the_document_and_publishes_claim_closed(settings, client, token, clock):
    _case_with_review(settings)
    clock.now = datetime(2025, 7, 5, 9, tzinfo=UTC)
    answer = client.post("/claims", json={"period": "2025-06"}, headers=token())
    assert answer.status_code == 201
    doc = json.loads(answer.content)
    assert doc["period"] == "2025-06" and doc["closed_at"] == "2025-07-05T09:00:00Z"
    assert [line["amount"] for line in doc["lines"]] == [20000] and doc["adjustments"] == []
    assert doc["totals"]["by_payer"] == {"cbo": 4000, "ccg": 14000, "sof": 2000}
    clock.now = datetime(2026, 3, 15, tzinfo=UTC)
    again = client.get("/claims/2025-06", headers=token())
    assert again.status_code == 200 and again.content == answer.content
    [(topic, message)] = query(settings, "SELECT topic, convert_from(message, 'UTF8') FROM outbox")
    event = json.loads(message)
    assert topic == settings.reporting_topic and event["event_type"] == "ClaimClosed"
    assert event["payload"]["document_sha256"] == hashlib.sha256(answer.content).hexdigest()
    assert event["payload"]["total_pence"] == 20000


def test_a_closed_month_is_409_unless_the_same_idempotency_key_replays_it(settings, client, token, clock):
    _case_with_review(settings)
    key = {"Idempotency-Key": "close-june"}
    first = client.post("/claims", json={"period": "2025-06"}, headers=token() | key)
    replay = client.post("/claims", json={"period": "2025-06"}, headers=token() | key)
    assert first.status_code == replay.status_code == 201 and replay.content == first.content
    assert client.post("/claims", json={"period": "2025-06"}, headers=token()).status_code == 409
    assert query(settings, "SELECT count(*) FROM claims") == [(1,)]


def test_a_correction_after_closing_becomes_a_clawback_on_the_next_claim(settings, client, token, clock):
    _case_with_review(settings, correct_at=datetime(2025, 7, 20, 12, tzinfo=UTC))
    clock.now = datetime(2025, 7, 5, 9, tzinfo=UTC)
    june = client.post("/claims", json={"period": "2025-06"}, headers=token())
    clock.now = datetime(2025, 8, 3, 9, tzinfo=UTC)
    july = json.loads(client.post("/claims", json={"period": "2025-07"}, headers=token()).content)
    assert july["lines"] == []
    [clawback] = july["adjustments"]
    assert clawback["kind"] == "clawback" and clawback["amount"] == -20000
    assert clawback["payer_shares"] == {"ccg": -14000, "cbo": -4000, "sof": -2000}
    assert july["totals"]["amount"] == -20000
    assert client.get("/claims/2025-06", headers=token()).content == june.content


def test_claims_refuse_unended_out_of_order_and_malformed_periods(client, token, clock):
    assert client.post("/claims", json={"period": "2026-03"}, headers=token()).status_code == 409  # not ended
    assert client.post("/claims", json={"period": "2025-08"}, headers=token()).status_code == 201
    assert client.post("/claims", json={"period": "2025-07"}, headers=token()).status_code == 409  # out of order
    for body in ({"period": "2025-13"}, {"period": "July"}, {}, {"period": "2025-09", "extra": 1}):
        assert client.post("/claims", json=body, headers=token()).status_code == 422, body
    assert client.get("/claims/2025-01", headers=token()).status_code == 404


def test_only_finance_closes_and_reads_claims(client, token):
    for role in ("provider_manager", "operator", "link_worker"):
        assert client.post("/claims", json={"period": "2025-06"}, headers=token(role)).status_code == 403
        assert client.get("/claims/2025-06", headers=token(role)).status_code == 403
