"""GET /outcomes/payable in pages (issue 13 item 5): the database narrows, orders, totals and pages the
materialised answer; every page, filter and sort equals the pure recompute narrowed, ordered and cut
the same way, the totals are the whole answer's on every page, and the pages of one answer cover it
exactly once, even when `known_at` was "now" and the ledger changes between pages."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from reporting_builders import PROVIDER_A, PROVIDER_B, WORKER_2, CaseFacts
from reporting_testkit import case_envelopes, consume, engaged_case, referral_envelopes

from linkwell_runtime.testing import cursor
from reporting.domain import load_packaged_rulebooks
from reporting.entrypoints.ledger_json import page_body
from reporting.service_layer import ledger_pages
from reporting.service_layer.ledger import recomputed_at

RULEBOOKS = load_packaged_rulebooks()
AS_OF = "2025-12-31"
CSV = {"Content-Type": "text/csv"}
NHS = ["9434765919", "9434765870", "4010232137", "9990001111", "9876543210"]


def _world(settings, client, token) -> None:
    """Nine W lines over two providers and three months, and one cohort's S lines (different amounts)."""
    for n in range(9):
        provider, worker = (PROVIDER_A, None) if n % 3 else (PROVIDER_B, WORKER_2)
        kw = {"provider_id": provider} | ({"link_worker_id": worker} if worker else {})
        referred = date(2024, 1, 2) + timedelta(days=n)
        case, _ = engaged_case(referred, referred + timedelta(days=10), 40, **kw)
        case.star(date(2025, 6 + n % 3, 10), 43)
        nhs = NHS[n] if n < len(NHS) else None
        consume(
            settings, referral_envelopes(case, referred, **({"nhs_number": nhs} if nhs else {})) + case_envelopes(case)
        )
    activity = "nhs_number,activity_type,activity_date,cost_pence\n9434765919,admission,2025-02-01,50000\n"
    assert client.post("/commissioner/hospital-activity", headers=token() | CSV, content=activity).status_code == 201
    costs = "quarter,per_head_cost_pence\n2025Q1,90000\n"
    assert client.post("/commissioner/comparison-costs", headers=token() | CSV, content=costs).status_code == 201


def _oracle(settings, known_at: datetime, query: ledger_pages.LinesQuery, offset: int, limit: int) -> dict:
    with cursor(settings.database_url) as cur:
        pure = recomputed_at(cur, RULEBOOKS, as_of=date.fromisoformat(AS_OF), known_at=known_at)
    return page_body(ledger_pages.page_of(pure, query, offset, limit), None)


def _walk(client, headers, params) -> tuple[list[dict], list[dict]]:
    """Every page of one answer, following `next`: (lines, each page's totals)."""
    answer = client.get("/outcomes/payable", params=params, headers=headers)
    assert answer.status_code == 200, answer.text
    lines, totals = [], []
    while True:
        body = answer.json()
        lines += body["lines"]
        totals.append((body["totals"], body["page"]["total_lines"]))
        if body["page"]["next"] is None:
            return lines, totals
        answer = client.get(body["page"]["next"], headers=headers)


def test_the_pages_of_an_answer_cover_it_once_each_with_the_whole_answers_totals(settings, client, token):
    _world(settings, client, token)
    lines, totals = _walk(client, token(), {"as_of": AS_OF, "limit": 4})
    whole = _oracle(settings, datetime(2026, 3, 15, 12, tzinfo=UTC), ledger_pages.LinesQuery(), 0, 1000)
    assert len(lines) == 11 and {line["outcome_type"] for line in lines} == {"W", "S"}
    assert lines == whole["lines"]  # the ledger's order, nothing twice, nothing left out
    assert len(totals) == 3 and all(t == (whole["totals"], 11) for t in totals)
    assert whole["totals"]["by_outcome"]["W"] == 9 * 20000 and whole["totals"]["by_outcome"]["S"] > 0
    assert sum(whole["totals"]["by_payer"].values()) == whole["totals"]["amount"]


@pytest.mark.parametrize(
    "query",
    [
        ledger_pages.LinesQuery(sort="-achieved_on"),
        ledger_pages.LinesQuery(sort="amount"),
        ledger_pages.LinesQuery(sort="-amount"),
        ledger_pages.LinesQuery(outcome_type="S"),
        ledger_pages.LinesQuery(outcome_type="W", provider_id=PROVIDER_B, sort="-achieved_on"),
        ledger_pages.LinesQuery(payer="sof", provider_id=PROVIDER_A),
        ledger_pages.LinesQuery(search="2024q1"),  # a cohort, any case
    ],
    ids=lambda q: ",".join(f"{k}={v}" for k, v in vars(q).items() if v),
)
def test_filters_and_sorts_in_sql_equal_the_recompute_narrowed_the_same_way(settings, client, token, query):
    _world(settings, client, token)
    params = {
        "as_of": AS_OF,
        "known_at": "2026-01-01T00:00:00+00:00",
        "sort": query.sort,
        **{k: str(v) for k, v in vars(query).items() if v is not None and k != "sort"},
    }
    for offset, limit in ((0, 3), (3, 3), (0, 1000), (9, 5), (20, 5)):
        answer = client.get("/outcomes/payable", params=params | {"offset": offset, "limit": limit}, headers=token())
        body = answer.json()
        expected = _oracle(settings, datetime(2026, 1, 1, tzinfo=UTC), query, offset, limit)
        assert (body["lines"], body["totals"]) == (expected["lines"], expected["totals"]), (offset, limit)
        assert body["page"]["total_lines"] == expected["page"]["total_lines"]
        assert (body["page"]["next"] is None) == (offset + limit >= body["page"]["total_lines"])


def test_a_search_finds_a_patient_by_part_of_the_pseudonymous_id(settings, client, token):
    _world(settings, client, token)
    lines = client.get("/outcomes/payable", params={"as_of": AS_OF, "outcome_type": "W"}, headers=token()).json()
    first = lines["lines"][0]
    part = first["patient_id"][9:18].upper()
    found = client.get("/outcomes/payable", params={"as_of": AS_OF, "search": part}, headers=token()).json()
    assert [line["patient_id"] for line in found["lines"]] == [first["patient_id"]]
    assert found["totals"]["amount"] == first["amount"] and found["page"]["total_lines"] == 1
    wildcard = client.get("/outcomes/payable", params={"as_of": AS_OF, "search": "%"}, headers=token()).json()
    assert wildcard["lines"] == [] and wildcard["totals"]["amount"] == 0  # % and _ are plain characters


def test_the_next_link_pins_the_moment_so_later_events_do_not_move_the_pages(settings, client, token, clock):
    _world(settings, client, token)
    first = client.get("/outcomes/payable", params={"as_of": AS_OF, "limit": 5}, headers=token()).json()
    pinned = parse_qs(urlsplit(first["page"]["next"]).query)
    assert pinned["known_at"] == [first["known_at"]] and pinned["as_of"] == [AS_OF] and pinned["offset"] == ["5"]
    recorded = clock.now = datetime(2026, 3, 16, tzinfo=UTC)
    late = CaseFacts()  # recorded after the first page's moment: a line first in the ledger's order
    late.opened(date(2024, 1, 1), recorded_at=recorded)
    late.star(date(2024, 1, 2), 40, recorded)
    late.star(date(2025, 5, 1), 45, recorded)
    consume(settings, referral_envelopes(late, date(2024, 1, 1)) + case_envelopes(late))
    second = client.get(first["page"]["next"], headers=token()).json()
    whole = _oracle(settings, datetime(2026, 3, 15, 12, tzinfo=UTC), ledger_pages.LinesQuery(), 0, 1000)
    assert first["lines"] + second["lines"] == whole["lines"][:10]
    assert client.get("/outcomes/payable", params={"as_of": AS_OF}, headers=token()).json()["page"]["total_lines"] == 12


def test_a_provider_manager_pages_and_totals_only_their_providers_lines(settings, client, token):
    _world(settings, client, token)
    mine = token("provider_manager", provider_id=str(PROVIDER_B))
    lines, totals = _walk(client, mine, {"as_of": AS_OF, "limit": 2})
    assert {line["provider_id"] for line in lines} == {str(PROVIDER_B)} and len(lines) == 4  # 3 W and its S part
    assert all(set(t["by_provider"]) == {str(PROVIDER_B)} and n == 4 for t, n in totals)
    assert totals[0][0]["amount"] == sum(line["amount"] for line in lines)
    refused = client.get("/outcomes/payable", params={"provider_id": str(PROVIDER_A)}, headers=mine)
    assert refused.status_code == 403


def test_a_page_size_of_zero_answers_the_totals_alone(settings, client, token):
    _world(settings, client, token)
    body = client.get("/outcomes/payable", params={"as_of": AS_OF, "limit": 0}, headers=token()).json()
    assert body["lines"] == [] and body["page"] == {"offset": 0, "limit": 0, "total_lines": 11, "next": None}
    assert body["totals"]["amount"] == 9 * 20000 + body["totals"]["by_outcome"]["S"]


def test_page_parameters_out_of_range_are_422_with_the_field(client, token):
    for params, field in (
        ({"limit": "1001"}, "limit"),
        ({"limit": "-1"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"offset": "100000001"}, "offset"),
        ({"sort": "provider"}, "sort"),
        ({"outcome_type": "X"}, "outcome_type"),
        ({"search": "x" * 101}, "search"),
        ({"search": ""}, "search"),
    ):
        answer = client.get("/outcomes/payable", params=params, headers=token())
        assert answer.status_code == 422, params
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert answer.json()["errors"][0]["loc"] == ["query", field], params
