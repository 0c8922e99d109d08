"""GET /outcomes/payable and /outcomes/{id}/evidence: the bitemporal ledger over HTTP, with access."""

from __future__ import annotations

from datetime import UTC, date, datetime

from reporting_builders import PROVIDER_A, PROVIDER_B, WORKER_2
from reporting_testkit import case_envelopes, consume, engaged_case, query, referral_envelopes

BASELINE_ON, REVIEW_ON = date(2025, 1, 10), date(2025, 6, 10)  # 151 days apart
CORRECTED_AT = datetime(2025, 9, 1, 12, tzinfo=UTC)


def _paid_case(settings, provider=PROVIDER_A, link_worker=None, correct=False):
    kw = {"provider_id": provider} | ({"link_worker_id": link_worker} if link_worker else {})
    case, _ = engaged_case(date(2025, 1, 2), BASELINE_ON, 40, **kw)
    review = case.star(REVIEW_ON, 43)
    if correct:
        case.corrected(review, 41, CORRECTED_AT)
    consume(settings, referral_envelopes(case, date(2025, 1, 2)) + case_envelopes(case))
    return case, review


def test_a_qualifying_review_is_payable_with_its_split_attribution_and_evidence(settings, client, token):
    case, _ = _paid_case(settings)
    answer = client.get("/outcomes/payable", params={"as_of": "2025-12-31"}, headers=token("finance"))
    assert answer.status_code == 200
    body = answer.json()
    [line] = body["lines"]
    assert line["outcome_type"] == "W" and line["amount"] == 20000
    assert line["payer_shares"] == {"ccg": 14000, "cbo": 4000, "sof": 2000}
    assert line["patient_id"] == str(case.patient_id) and line["cohort"] is None
    assert line["achieved_on"] == REVIEW_ON.isoformat()
    assert line["provider_id"] == str(PROVIDER_A) and line["link_worker_id"] == str(case.link_worker_id)
    opened = case.facts[0]
    assert str(opened.event_id) in line["evidence"]
    assert body["totals"] == {
        "amount": 20000,
        "by_payer": {"cbo": 4000, "ccg": 14000, "sof": 2000},
        "by_outcome": {"W": 20000},
        "by_provider": {str(PROVIDER_A): 20000},
    }
    assert body["page"] == {"offset": 0, "limit": 100, "total_lines": 1, "next": None}


def test_a_correction_changes_the_answer_only_for_later_known_at(settings, client, token):
    _paid_case(settings, correct=True)
    before = client.get(
        "/outcomes/payable", params={"as_of": "2025-12-31", "known_at": "2025-08-31T23:00:00Z"}, headers=token()
    )
    after = client.get(
        "/outcomes/payable", params={"as_of": "2025-12-31", "known_at": "2025-09-01T12:00:00+00:00"}, headers=token()
    )
    assert [line["amount"] for line in before.json()["lines"]] == [20000]
    assert after.json()["lines"] == [] and after.json()["totals"]["amount"] == 0


def test_as_of_before_the_review_leaves_it_out(settings, client, token):
    _paid_case(settings)
    answer = client.get("/outcomes/payable", params={"as_of": "2025-06-09"}, headers=token())
    assert answer.json()["lines"] == []


def test_defaults_are_today_and_now(settings, client, token):
    _paid_case(settings)
    body = client.get("/outcomes/payable", headers=token()).json()
    assert body["as_of"] == "2026-03-15" and body["known_at"].startswith("2026-03-15T12:00:00")
    assert len(body["lines"]) == 1


def test_provider_managers_see_only_their_own_providers_lines(settings, client, token):
    _paid_case(settings, PROVIDER_A)
    _paid_case(settings, PROVIDER_B, WORKER_2)
    finance = client.get("/outcomes/payable", headers=token("finance")).json()
    assert sorted(line["provider_id"] for line in finance["lines"]) == sorted([str(PROVIDER_A), str(PROVIDER_B)])
    mine = client.get("/outcomes/payable", headers=token("provider_manager", provider_id=str(PROVIDER_B))).json()
    assert [line["provider_id"] for line in mine["lines"]] == [str(PROVIDER_B)]
    assert mine["totals"]["by_provider"] == {str(PROVIDER_B): 20000}
    other = client.get(
        "/outcomes/payable",
        params={"provider_id": str(PROVIDER_A)},
        headers=token("provider_manager", provider_id=str(PROVIDER_B)),
    )
    assert other.status_code == 403
    narrowed = client.get("/outcomes/payable", params={"provider_id": str(PROVIDER_A), "payer": "sof"}, headers=token())
    assert [line["provider_id"] for line in narrowed.json()["lines"]] == [str(PROVIDER_A)]


def test_other_roles_and_anonymous_callers_are_refused(client, token):
    assert client.get("/outcomes/payable").status_code == 401
    assert client.get("/outcomes/payable", headers={"Authorization": "Bearer nope"}).status_code == 401
    for role in ("referrer", "link_worker", "operator", "service"):
        assert client.get("/outcomes/payable", headers=token(role)).status_code == 403, role


def test_bad_query_parameters_are_422_with_the_field(client, token):
    cases = [
        ({"as_of": "2025-13-01"}, "as_of"),
        ({"known_at": "yesterday"}, "known_at"),
        ({"known_at": "2025-09-01T12:00:00"}, "known_at"),
        ({"format": "pdf"}, "format"),
        ({"provider_id": "not-a-uuid"}, "provider_id"),
    ]
    for params, field in cases:
        answer = client.get("/outcomes/payable", params=params, headers=token())
        assert answer.status_code == 422, params
        assert answer.json()["errors"][0]["loc"][-1] == field


def test_the_evidence_endpoint_returns_the_events_behind_a_line(settings, client, token):
    _, review = _paid_case(settings)
    [line] = client.get("/outcomes/payable", headers=token()).json()["lines"]
    answer = client.get(f"/outcomes/{line['outcome_id']}/evidence", headers=token())
    assert answer.status_code == 200
    items = answer.json()["evidence"]
    assert [i["id"] for i in items] == line["evidence"]
    assert {i["event_type"] for i in items} >= {"CaseOpened", "CaseEngaged", "WellbeingStarRecorded"}
    recorded = [i for i in items if i["event_type"] == "WellbeingStarRecorded"]
    assert any(i["payload"]["star_id"] == str(review) for i in recorded)
    other = token("provider_manager", provider_id=str(PROVIDER_B))
    assert client.get(f"/outcomes/{line['outcome_id']}/evidence", headers=other).status_code == 404
    unknown = client.get("/outcomes/00000000-0000-0000-0000-000000000000/evidence", headers=token())
    assert unknown.status_code == 404
    gone = client.get(f"/outcomes/{line['outcome_id']}/evidence", params={"as_of": "2025-06-01"}, headers=token())
    assert gone.status_code == 404


def test_redelivered_events_change_nothing_and_sealed_fields_are_not_kept(settings, client, token):
    case, _ = _paid_case(settings)
    consume(settings, case_envelopes(case))  # the same events again
    assert len(client.get("/outcomes/payable", headers=token()).json()["lines"]) == 1
    [(payload,)] = query(settings, "SELECT payload FROM facts WHERE event_type = 'ReferralReceived'")
    assert "nhs_number" not in payload and "given_name" not in payload
    assert "nhs_number_pseudonym" not in payload  # kept only in `patients`, which erasure empties


def test_extreme_but_valid_moments_answer_200(settings, client, token):
    _paid_case(settings)
    for params in (
        {"as_of": "0001-01-01"},
        {"known_at": "9999-12-31T23:59:59Z"},
        {"known_at": "0001-01-01T00:00:00Z"},
        {"as_of": "9999-12-31", "known_at": "2025-06-10T12:00:00-05:00"},
    ):
        answer = client.get("/outcomes/payable", params=params, headers=token())
        assert answer.status_code == 200, (params, answer.text)
