"""GET /metrics/star-change over a real database fed through the real consumer: the distribution of
Star change per episode, scoped by role, voids and corrections as known at T, no patient ids, and a
422 naming each bad parameter."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

from openpyxl import load_workbook
from reporting_builders import PROVIDER_A, PROVIDER_B, WORKER_2
from reporting_testkit import case_envelopes, consume, engaged_case, referral_envelopes

from reporting.entrypoints.routers.star_change import StarChangeAnswer

VOIDED_AT = datetime(2025, 9, 1, 12, tzinfo=UTC)
CORRECTED_AT = datetime(2025, 10, 1, 12, tzinfo=UTC)


def _world(settings):
    """Provider A: +3 (a +12 review voided later), -5 (corrected to -5 from +1), a baseline only.
    Provider B: +10."""
    plus_three, _ = engaged_case(date(2025, 1, 2), date(2025, 1, 10), 40)
    plus_three.star(date(2025, 6, 10), 43)
    plus_three.voided(plus_three.star(date(2025, 8, 10), 52), VOIDED_AT)
    minus_five, _ = engaged_case(date(2025, 1, 3), date(2025, 1, 11), 40)
    minus_five.corrected(minus_five.star(date(2025, 6, 11), 41), 35, CORRECTED_AT)
    baseline_only, _ = engaged_case(date(2025, 1, 4), date(2025, 1, 12), 50)
    plus_ten, _ = engaged_case(date(2025, 2, 5), date(2025, 2, 20), 30, provider_id=PROVIDER_B, link_worker_id=WORKER_2)
    plus_ten.star(date(2025, 7, 20), 40)
    cases = [plus_three, minus_five, baseline_only, plus_ten]
    nhs = ["9434765919", "9434765870", "4010232137", "9990001111"]
    envelopes = [
        e for c, n in zip(cases, nhs, strict=True) for e in referral_envelopes(c, c.facts[0].occurred_at.date(), n)
    ]
    consume(settings, envelopes + [e for c in cases for e in case_envelopes(c)])
    return cases


def _get(client, headers, **params):
    return client.get("/metrics/star-change", params=params, headers=headers)


def _counts(answer) -> dict[int, int]:
    return {b["low"]: b["count"] for b in answer["total_change"]["bins"] if b["count"]}


def test_finance_sees_every_episodes_change_in_two_point_bins_and_baselines_alone_apart(settings, client, token):
    cases = _world(settings)
    answer = _get(client, token("finance"), as_of="2025-12-31")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    StarChangeAnswer.model_validate(body)
    assert set(body) == set(StarChangeAnswer.model_fields)
    assert (body["episodes"], body["baseline_only"], body["reviewed"]) == (4, 1, 3)
    assert _counts(body) == {-6: 1, 2: 1, 10: 1}  # -5 in [-6, -5], +3 in [2, 3], +10 in [10, 11]
    assert body["total_change"]["mean"] == 2.67 and body["total_change"]["median"] == 3
    assert len(body["total_change"]["bins"]) == 73 and body["total_change"]["bin_width"] == 2
    assert all(sum(b["count"] for b in bins) == 3 for bins in body["area_change"].values())
    for case in cases:  # counts only: no patient or case id in the answer
        assert str(case.patient_id) not in answer.text and str(case.case_id) not in answer.text


def test_voids_and_corrections_count_only_from_when_they_were_recorded(settings, client, token):
    _world(settings)
    before = _get(client, token(), as_of="2025-12-31", known_at="2025-08-31T12:00:00Z").json()
    between = _get(client, token(), as_of="2025-12-31", known_at="2025-09-15T12:00:00+01:00").json()
    now = _get(client, token(), as_of="2025-12-31").json()
    assert _counts(before) == {0: 1, 10: 1, 12: 1}  # +12 not yet voided, +1 not yet corrected
    assert _counts(between) == {0: 1, 2: 1, 10: 1}
    assert _counts(now) == {-6: 1, 2: 1, 10: 1}
    assert between["known_at"] == "2025-09-15T11:00:00+00:00"


def test_a_provider_manager_sees_only_their_own_providers_episodes(settings, client, token):
    _world(settings)
    mine = _get(client, token("provider_manager", provider_id=str(PROVIDER_B)), as_of="2025-12-31").json()
    assert (mine["provider_id"], mine["episodes"], _counts(mine)) == (str(PROVIDER_B), 1, {10: 1})
    own = _get(client, token("provider_manager"), as_of="2025-12-31", provider_id=str(PROVIDER_A)).json()
    assert (own["episodes"], own["baseline_only"], _counts(own)) == (3, 1, {-6: 1, 2: 1})
    other = _get(client, token("provider_manager", provider_id=str(PROVIDER_B)), provider_id=str(PROVIDER_A))
    assert other.status_code == 403 and other.headers["content-type"].startswith("application/problem+json")
    chosen = _get(client, token("finance"), as_of="2025-12-31", provider_id=str(PROVIDER_B)).json()
    assert _counts(chosen) == {10: 1}


def test_roles_without_dashboards_are_refused_and_no_token_is_401(settings, client, token):
    _world(settings)
    for role in ("link_worker", "referrer", "service"):
        assert _get(client, token(role)).status_code == 403, role
    assert _get(client, {}).status_code == 401
    assert _get(client, token("operator")).status_code == 200


def test_bad_parameters_are_a_422_naming_each(settings, client, token):
    for params, loc in (
        ({"known_at": "2025-09-01T12:00:00"}, ["query", "known_at"]),  # no zone: ambiguous
        ({"known_at": "yesterday"}, ["query", "known_at"]),
        ({"as_of": "2025-02-30"}, ["query", "as_of"]),
        ({"provider_id": "not-a-provider"}, ["query", "provider_id"]),
        ({"format": "pdf"}, ["query", "format"]),
    ):
        answer = _get(client, token(), **params)
        assert answer.status_code == 422, (params, answer.text)
        assert [e["loc"] for e in answer.json()["errors"]] == [loc]


def test_nothing_recorded_gives_empty_bins_and_no_mean(settings, client, token):
    body = _get(client, token()).json()
    assert (body["episodes"], body["reviewed"], body["total_change"]["mean"], _counts(body)) == (0, 0, None, {})


def test_the_distribution_exports_as_csv_and_xlsx(settings, client, token):
    _world(settings)
    as_csv = _get(client, token(), as_of="2025-12-31", format="csv")
    rows = list(csv.reader(io.StringIO(as_csv.text)))
    assert rows[0] == ["low", "high", "count"] and ["2", "3", "1"] in rows and len(rows) == 74
    book = load_workbook(io.BytesIO(_get(client, token(), as_of="2025-12-31", format="xlsx").content))
    assert book.sheetnames == ["total_change", "area_change", "summary"]
    summary = list(book["summary"].iter_rows(values_only=True))
    assert dict(zip(summary[0], summary[1], strict=True))["baseline_only"] == 1
