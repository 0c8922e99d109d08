"""The Star-change chart's view model: the bins shown (from the lowest with a count to the highest,
always around 0 and +2), the summary, the bars' geometry and its edge cases."""

from __future__ import annotations

from console.domain.charts import (
    HEIGHT,
    STAR_TOP,
    W_THRESHOLD,
    histogram,
    signed,
    star_change_from_api,
)

AREAS = ["lifestyle", "looking_after_yourself", "managing_symptoms", "work_volunteering"]
AXIS = HEIGHT - 40  # the plot's bottom


def answer(changes: list[int], baseline_only: int = 0, provider_id: str | None = None) -> dict:
    """As reporting's GET /metrics/star-change answers: every two-point bin from -72 to +72."""
    counts = {low: sum(1 for c in changes if low <= c <= low + 1) for low in range(-72, 73, 2)}
    area_bins = [{"low": p, "high": p, "count": 0} for p in range(-9, 10)]
    return {
        "as_of": "2025-12-31",
        "known_at": "2026-03-15T12:00:00+00:00",
        "provider_id": provider_id,
        "episodes": len(changes) + baseline_only,
        "baseline_only": baseline_only,
        "reviewed": len(changes),
        "total_change": {
            "bin_width": 2,
            "mean": round(sum(changes) / len(changes), 2) if changes else None,
            "median": sorted(changes)[len(changes) // 2] if changes else None,
            "bins": [{"low": low, "high": low + 1, "count": n} for low, n in counts.items()],
        },
        "area_change": dict.fromkeys(AREAS, area_bins),
    }


def test_the_bins_shown_run_from_the_lowest_with_a_count_to_the_highest():
    view = star_change_from_api(answer([-7, -1, 3, 3, 12]))
    assert [b.low for b in view.bins] == list(range(-8, 13, 2))
    assert sum(b.count for b in view.bins) == view.reviewed == 5
    assert (view.fell, view.reached_threshold) == (2, 3)


def test_negative_changes_are_labelled_with_a_real_minus_sign():
    view = star_change_from_api(answer([-20, -19]))
    assert view.bins[0].label == "−20 to −19" and view.fell == 2 and view.reached_threshold == 0
    assert view.bins[-1].low == W_THRESHOLD  # the bars still reach the threshold's bin
    assert (signed(-5), signed(0), signed(2.5)) == ("−5", "0", "+2.5")


def test_all_in_one_bin_still_shows_zero_and_the_threshold_and_fills_the_scale():
    view = star_change_from_api(answer([4, 5, 4]))
    assert [(b.low, b.count) for b in view.bins] == [(-2, 0), (0, 0), (2, 0), (4, 3)]
    chart = histogram(view)
    [drawn] = [b for b in chart.bars if b.count]
    assert drawn.reached and drawn.y + drawn.height == AXIS
    assert [n for _, n in chart.ticks] == [0, 1, 2, 3, 4] and drawn.height == (AXIS - STAR_TOP) * 3 / 4
    assert chart.zero_x < chart.threshold_x < drawn.x


def test_no_change_yet_gives_empty_bars_around_zero_and_counts_the_baselines():
    view = star_change_from_api(answer([], baseline_only=4))
    assert (view.episodes, view.baseline_only, view.reviewed, view.mean) == (4, 4, 0, None)
    assert [(b.low, b.count) for b in view.bins] == [(-2, 0), (0, 0), (2, 0)]
    chart = histogram(view)
    assert all(b.height == 0 for b in chart.bars) and [n for _, n in chart.ticks] == [0, 1, 2, 3, 4]


def test_the_scale_is_a_round_number_of_episodes_and_bars_are_their_share_of_it():
    chart = histogram(star_change_from_api(answer([3] * 130 + [7] * 65)))
    assert [n for _, n in chart.ticks] == [0, 50, 100, 150, 200]
    tall, short = (b for b in chart.bars if b.count)
    assert (tall.count, short.count) == (130, 65) and abs(tall.height - 2 * short.height) < 1e-9
    assert chart.labelled  # five bars: each count is written above its bar


def test_many_bins_thin_the_axis_labels_but_keep_zero():
    chart = histogram(star_change_from_api(answer([-40, 40])))
    assert len(chart.edges) <= 13 and "0" in [text for _, text in chart.edges]
    assert not chart.labelled  # 41 bars: no room for a count above each (the table has them)


def test_a_provider_managers_answer_is_marked_as_their_organisations():
    assert star_change_from_api(answer([2], provider_id="00000000-0000-7000-8000-0000000000a1")).own_provider
    assert not star_change_from_api(answer([2])).own_provider
