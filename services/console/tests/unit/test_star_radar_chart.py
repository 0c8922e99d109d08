"""The Well-being Star's eight-spoke chart (`domain/star_chart.py`): where each score lies, the spokes'
order, the baseline against the latest, and the table beside it."""

from __future__ import annotations

import math

import pytest
from star_kit import STAR as SCORES

from console.domain.star_chart import AREAS, CENTRE_X, CENTRE_Y, RADIUS, baseline_and_latest, position, star_chart


def star(star_id: str, taken_on: str, scores: dict, voided_on: str | None = None) -> dict:
    return {
        "star_id": star_id,
        "taken_on": taken_on,
        "scores": scores,
        "total": sum(scores.values()),
        "voided_on": voided_on,
    }


def test_the_first_spoke_points_up_and_the_others_follow_clockwise_45_degrees_apart():
    assert (position(0, 10).x, position(0, 10).y) == pytest.approx((CENTRE_X, CENTRE_Y - RADIUS))
    assert (position(2, 10).x, position(2, 10).y) == pytest.approx((CENTRE_X + RADIUS, CENTRE_Y))
    assert (position(4, 10).x, position(4, 10).y) == pytest.approx((CENTRE_X, CENTRE_Y + RADIUS))
    assert (position(6, 10).x, position(6, 10).y) == pytest.approx((CENTRE_X - RADIUS, CENTRE_Y))
    diagonal = RADIUS / math.sqrt(2)
    assert (position(1, 10).x, position(1, 10).y) == pytest.approx((CENTRE_X + diagonal, CENTRE_Y - diagonal), abs=0.01)


def test_a_score_lies_at_its_share_of_the_spoke_from_the_centre():
    for score in range(1, 11):
        p = position(3, score)
        assert math.dist((p.x, p.y), (CENTRE_X, CENTRE_Y)) == pytest.approx(RADIUS * score / 10, abs=0.01)


def test_baseline_and_latest_are_two_outlines_and_the_table_gives_the_change():
    later = SCORES | {"money": 9, "lifestyle": 3}
    chart = star_chart(star("a", "2025-01-10", SCORES), star("b", "2025-07-10", later))
    assert chart is not None
    assert [o.css for o in chart.outlines] == ["lw-star-baseline", "lw-star-latest"]
    money = AREAS.index("money")
    assert chart.outlines[1].vertices[money] == position(money, 9)
    assert chart.outlines[0].name == "Baseline, 2025-01-10 (total 36)"
    rows = {area: (first, last, change) for area, first, last, change in chart.rows}
    assert rows["Money"] == (6, 9, 3) and rows["Your lifestyle"] == (4, 3, -1)
    assert len(chart.rows) == 8 and len(chart.spokes) == 8 and len(chart.labels) == 8
    assert [s for s, _, _ in chart.rings] == [2, 4, 6, 8, 10]


def test_one_star_is_drawn_alone_and_no_star_draws_nothing():
    only = star("a", "2025-01-10", SCORES)
    chart = star_chart(only, only)
    assert chart is not None and [o.css for o in chart.outlines] == ["lw-star-baseline"]
    assert all(last is None for _, _, last, _ in chart.rows)
    assert star_chart(None, None) is None


def test_the_baseline_is_the_earliest_standing_star_and_voided_ones_are_left_out():
    stars = [
        star("void", "2025-01-01", SCORES, voided_on="2025-01-05"),
        star("late", "2025-09-01", SCORES),
        star("base", "2025-02-01", SCORES),
    ]
    baseline, latest = baseline_and_latest(stars)
    assert (baseline["star_id"], latest["star_id"]) == ("base", "late")
    assert baseline_and_latest([star("void", "2025-01-01", SCORES, voided_on="2025-01-05")]) == (None, None)


def test_labels_sit_beyond_the_rim_anchored_away_from_the_centre_and_within_the_picture():
    chart = star_chart(star("a", "2025-01-10", SCORES), None)
    assert chart is not None
    anchors = [label.anchor for label in chart.labels]
    assert anchors == ["middle", "start", "start", "start", "middle", "end", "end", "end"]
    assert all(math.dist((lb.x, lb.y), (CENTRE_X, CENTRE_Y)) > RADIUS for lb in chart.labels)
    em = 8  # about half a 14px character's width: a generous measure of each name's length
    for lb in chart.labels:
        reach = len(lb.text) * em
        left = {"start": lb.x, "middle": lb.x - reach / 2, "end": lb.x - reach}[lb.anchor]
        assert left >= 0 and left + reach <= chart.width, lb.text
