"""The charts' series and geometry: per month by outcome (stacked) and cumulative per payer."""

from __future__ import annotations

from console_lines import line

from console.domain.charts import HEIGHT, cumulative_per_payer, payable_per_month_by_outcome, stacked_bars


def test_payable_per_month_by_outcome_adds_each_months_lines():
    lines = [line(1, day="2025-06-10"), line(2, day="2025-06-20", kind="S", amount=500), line(3, day="2025-08-01")]
    series = payable_per_month_by_outcome(lines)
    assert series.months == ["2025-06", "2025-08"] and series.keys == ["W", "S"]
    assert series.values == [{"W": 20000, "S": 500}, {"W": 20000}]


def test_cumulative_payments_per_payer_only_grow_and_end_at_the_payers_totals():
    lines = [line(1, day="2025-06-10"), line(2, day="2025-07-20"), line(3, day="2025-07-21", amount=1001)]
    series = cumulative_per_payer(lines)
    assert series.keys == ["ccg", "cbo", "sof"]
    assert [v["ccg"] for v in series.values] == [14000, 14000 + 14000 + 700]
    assert sum(series.values[-1].values()) == 41001


def test_stacked_bars_are_as_tall_as_their_share_of_the_scale():
    series = payable_per_month_by_outcome(
        [line(1, day="2025-06-10"), line(2, day="2025-06-11", kind="S", amount=20000)]
    )
    rects, ticks = stacked_bars(series)
    w, s = rects
    assert w.key == "W" and s.key == "S" and abs(w.height - s.height) < 1e-9
    assert s.y + s.height == w.y and w.y + w.height == HEIGHT - 40  # S sits on W, W on the axis
    assert ticks[-1].pence >= 40000 and ticks[0].pence == 0
