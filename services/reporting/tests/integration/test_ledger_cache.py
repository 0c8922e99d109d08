"""The cached ledger (GET /outcomes/payable's fast path) equals the pure recomputation, before and
after every change to its inputs, for known_at before, between and after the facts' recorded_at."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from reporting_builders import PROVIDER_B
from reporting_testkit import case_envelopes, consume, engaged_case, referral_envelopes

from linkwell_runtime.testing import cursor
from reporting.domain import load_packaged_rulebooks
from reporting.entrypoints.rebuild import empty_derived_tables
from reporting.service_layer.ledger import LedgerCache, ledger_at

RULEBOOKS = load_packaged_rulebooks()
CORRECTED_AT = datetime(2025, 9, 1, 12, tzinfo=UTC)


def _both(settings, cache, as_of, known_at):
    with cursor(settings.database_url) as cur:
        fast = ledger_at(cur, RULEBOOKS, as_of=as_of, known_at=known_at, cache=cache)
    with cursor(settings.database_url) as cur:
        pure = ledger_at(cur, RULEBOOKS, as_of=as_of, known_at=known_at)
    return fast, pure


def _check(settings, cache, moments, as_ofs=(date(2025, 6, 9), date(2025, 12, 31), date(2026, 3, 31))):
    seen = []
    for as_of in as_ofs:
        for known_at in moments:
            for _ in range(2):  # the second one is a hit
                fast, pure = _both(settings, cache, as_of, known_at)
                assert fast == pure, (as_of, known_at)
            seen.append(len(pure.lines))
    return seen


def _case(settings, provider=None, correct=False, review_total=43):
    case, _ = engaged_case(date(2025, 1, 2), date(2025, 1, 10), 40, **({"provider_id": provider} if provider else {}))
    review = case.star(date(2025, 6, 10), review_total)
    if correct:
        case.corrected(review, 41, CORRECTED_AT)
    consume(settings, referral_envelopes(case, date(2025, 1, 2)) + case_envelopes(case))
    return case


def test_the_cache_equals_the_recomputation_through_every_change(settings):
    cache = LedgerCache()
    far = datetime(2030, 1, 1, tzinfo=UTC)
    moments = [
        datetime(2024, 1, 1, tzinfo=UTC),
        CORRECTED_AT - timedelta(hours=1),
        CORRECTED_AT,
        far,
        datetime.now(UTC) + timedelta(days=1),
    ]
    assert _check(settings, cache, moments) == [0] * 15  # nothing yet
    _case(settings, correct=True)
    first = _check(settings, cache, moments)
    assert any(first) and cache.hits > 0
    _case(settings, provider=PROVIDER_B)  # a new case: every key's version is stale
    second = _check(settings, cache, moments)
    assert sum(second) > sum(first)
    empty_derived_tables(settings)  # a rebuild empties the inputs: no stale answer survives
    assert _check(settings, cache, moments) == [0] * 15


def test_a_hit_returns_the_request_known_at(settings):
    cache = LedgerCache()
    _case(settings)
    a, _ = _both(settings, cache, date(2025, 12, 31), datetime(2031, 1, 1, tzinfo=UTC))
    b, pure = _both(settings, cache, date(2025, 12, 31), datetime(2032, 1, 1, tzinfo=UTC))
    assert cache.hits == 1 and b.lines == a.lines and b.known_at == datetime(2032, 1, 1, tzinfo=UTC) and b == pure


def test_the_api_answers_what_the_recomputation_renders_page_by_page(settings, client, token):
    from urllib.parse import parse_qsl, urlsplit

    from reporting.entrypoints.ledger_json import page_body
    from reporting.service_layer.ledger_pages import LinesQuery, page_of

    _case(settings, correct=True)
    _case(settings, provider=PROVIDER_B)
    for known_at in ("2025-08-31T23:00:00+00:00", "2029-01-01T00:00:00+00:00", "2030-01-01T00:00:00+00:00"):
        for params in ({}, {"provider_id": str(PROVIDER_B)}, {"payer": "sof"}, {"limit": "1"}):
            query = {"as_of": "2025-12-31", "known_at": known_at, **params}
            answer = client.get("/outcomes/payable", params=query, headers=token())
            assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
            _, pure = _both(settings, None, date(2025, 12, 31), datetime.fromisoformat(known_at))
            lines = LinesQuery(payer=params.get("payer"), provider_id=params.get("provider_id"))
            page = page_of(pure, lines, 0, int(params.get("limit", 100)))
            body = answer.json()
            link = body["page"].pop("next")
            expected = page_body(page, None)
            del expected["page"]["next"]
            assert body == expected
            if page.next_offset is None:
                assert link is None
            else:
                assert urlsplit(link).path == "/outcomes/payable"
                assert dict(parse_qsl(urlsplit(link).query)) == query | {"offset": "1"}


def test_a_repeated_question_is_answered_from_the_page_cache_until_an_event_changes_the_ledger(settings, client, token):
    from reporting.entrypoints.ledger_json import page_body
    from reporting.service_layer.ledger_pages import LinesQuery, page_of

    pages = client.app.state.services.page_cache
    _case(settings)
    asked = {"as_of": "2025-12-31"}  # known_at: now, after every input was recorded
    first = client.get("/outcomes/payable", params=asked, headers=token())
    again = client.get("/outcomes/payable", params=asked, headers=token())
    assert first.status_code == again.status_code == 200 and pages.hits == 1
    assert again.json() == first.json() and first.json()["page"]["total_lines"] == 1
    _case(settings, provider=PROVIDER_B)  # applied events bump the inputs version: the cached page is stale
    changed = client.get("/outcomes/payable", params=asked, headers=token())
    body = changed.json()
    assert pages.hits == 1 and body["page"]["total_lines"] == 2
    known_at = datetime.fromisoformat(body["known_at"])
    _, pure = _both(settings, None, date(2025, 12, 31), known_at)
    expected = page_body(page_of(pure, LinesQuery(), 0, 100), None)
    assert body == expected
