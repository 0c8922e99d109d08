"""The charts page over a real reporting service: the distribution of Well-being Star change per
episode, its bars and table equal to GET /metrics/star-change, for the page's moment and, for a
provider manager, their organisation only; and the payers' markers told apart by shape."""

from __future__ import annotations

import re

from console_testkit import CORRECTION_AFTER, CORRECTION_BEFORE, bearer, csrf, sign_in

from console.config import Settings

SECRET = Settings().jwt_secret
AS_OF = "2025-12-31"


def _table(html: str) -> dict[int, int]:
    """(low of the bin → episodes) from the page's table of the distribution."""
    table = html.split('id="star-table"', 1)[1].split("</table>", 1)[0]
    return {int(low): int(n) for low, n in re.findall(r'data-low="(-?\d+)" data-high="-?\d+">(\d+)<', table)}


def _bars(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'class="lw-star-bar"[^>]*data-count="(\d+)"', html)]


def _api(apis, role: str = "finance", **params: str) -> dict:
    scope = {k: params.pop(k) for k in ("provider_id",) if k in params}
    answer = apis["reporting"].get("/metrics/star-change", params=params, headers=bearer(role, SECRET, **scope))
    assert answer.status_code == 200, answer.text
    return answer.json()


def _counts(api: dict) -> dict[int, int]:
    return {b["low"]: b["count"] for b in api["total_change"]["bins"] if b["count"]}


def test_finance_sees_the_star_change_distribution_with_the_apis_numbers(console, apis, seeded):
    sign_in(console, "finance")
    page = console.get("/charts", params={"as_of": AS_OF})
    api = _api(apis, as_of=AS_OF)
    assert api["reviewed"] == 3 and _counts(api) == {0: 1, 2: 1, 4: 1}  # +1 (corrected from +4), +3, +5
    shown = _table(page.text)
    assert {low: n for low, n in shown.items() if n} == _counts(api) and min(shown) == -2
    assert sorted(_bars(page.text)) == sorted(_counts(api).values())
    assert 'aria-labelledby="star-title star-desc"' in page.text and '<desc id="star-desc">' in page.text
    summary = page.text.split('id="star-summary"', 1)[1].split("</p>", 1)[0]
    assert "2 of 3 gained 2 points or more" in summary and 'id="star-baseline-only">0<' in summary


def test_the_distribution_is_as_known_at_the_pages_moment(console, apis, seeded):
    sign_in(console, "finance")
    before = console.get("/charts", params={"as_of": AS_OF, "known_at": CORRECTION_BEFORE})
    after = console.get("/charts", params={"as_of": AS_OF, "known_at": CORRECTION_AFTER})
    assert {k: n for k, n in _table(before.text).items() if n} == {2: 1, 4: 2}  # +4 not yet corrected to +1
    assert {k: n for k, n in _table(after.text).items() if n} == {0: 1, 2: 1, 4: 1}


def test_a_provider_manager_sees_their_organisations_distribution_only(console, apis, seeded):
    page = console.get("/sign-in")
    console.post("/sign-in", data={"user": f"manager:{seeded.provider_b}", "csrf_token": csrf(page)})
    charts = console.get("/charts", params={"as_of": AS_OF})
    api = _api(apis, "provider_manager", provider_id=seeded.provider_b, as_of=AS_OF)
    assert api["provider_id"] == seeded.provider_b and _counts(api) == {4: 1}
    assert {k: n for k, n in _table(charts.text).items() if n} == {4: 1}
    assert "Your organisation's episodes only" in charts.text


def test_a_bad_moment_draws_no_chart_and_says_why_beside_the_field(console, seeded):
    sign_in(console, "finance")
    page = console.get("/charts", params={"known_at": "2025-09-01T12:00"})
    assert page.status_code == 422 and "Add the zone" in page.text and 'id="star-table"' not in page.text


def test_each_payers_marker_has_its_own_shape_so_a_single_month_is_not_told_by_colour_alone(console, seeded):
    sign_in(console, "finance")
    page = console.get("/charts", params={"as_of": AS_OF})  # one month of payments: markers, no lines
    chart = page.text.split('id="cumulative-desc"', 1)[1].split("</svg>", 1)[0]
    assert (chart.count("<circle"), chart.count("<rect"), chart.count("<polygon")) == (1, 1, 1)
    assert "(solid line, circles)" in page.text and "(dotted line, triangles)" in page.text
