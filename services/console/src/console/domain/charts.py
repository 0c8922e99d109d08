"""Charts drawn on the server as SVG: the series (also shown as tables) and their geometry."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from console.domain.payable import Line, payer_name

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 720, 320, 90, 40, 20


@dataclass(frozen=True)
class Series:
    """Pence per key (outcome or payer) per month, months in order."""

    months: list[str]
    keys: list[str]
    values: list[dict[str, int]]  # one dict per month


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    key: str
    title: str


@dataclass(frozen=True)
class Tick:
    y: float
    pence: int


@dataclass(frozen=True)
class Polyline:
    key: str
    points: str  # "x,y x,y ..."
    markers: list[tuple[float, float]]


def payable_per_month_by_outcome(lines: Iterable[Line]) -> Series:
    return _per_month((line.achieved_on.strftime("%Y-%m"), line.outcome_type, line.amount) for line in lines)


def cumulative_per_payer(lines: Iterable[Line]) -> Series:
    """Each payer's running total at the end of each month an outcome was achieved in."""
    monthly = _per_month(
        (line.achieved_on.strftime("%Y-%m"), payer, pence)
        for line in lines
        for payer, pence in line.payer_shares.items()
    )
    running = dict.fromkeys(monthly.keys, 0)
    values = []
    for month in monthly.values:
        running = {key: running[key] + month.get(key, 0) for key in monthly.keys}
        values.append(dict(running))
    return Series(monthly.months, monthly.keys, values)


def _per_month(items: Iterable[tuple[str, str, int]]) -> Series:
    found: dict[str, dict[str, int]] = {}
    keys: set[str] = set()
    for month, key, pence in items:
        found.setdefault(month, {})[key] = found.get(month, {}).get(key, 0) + pence
        keys.add(key)
    order = [k for k in ("W", "S", "ccg", "cbo", "sof") if k in keys] + sorted(keys - {"W", "S", "ccg", "cbo", "sof"})
    months = sorted(found)
    return Series(months, order, [found[m] for m in months])


def _scale(top: int) -> tuple[int, list[Tick]]:
    """A round maximum (pence) and five ticks."""
    top = max(top, 100)
    step = 10 ** (len(str(top)) - 1)
    rounded = ((top + step - 1) // step) * step
    plot = HEIGHT - BOTTOM - TOP
    return rounded, [Tick(TOP + plot - plot * i / 4, rounded * i // 4) for i in range(5)]


def stacked_bars(series: Series) -> tuple[list[Rect], list[Tick]]:
    top, ticks = _scale(max((sum(v.values()) for v in series.values), default=0))
    plot_width, plot_height = WIDTH - LEFT - 10, HEIGHT - BOTTOM - TOP
    slot = plot_width / max(1, len(series.months))
    rects = []
    for i, (month, values) in enumerate(zip(series.months, series.values, strict=True)):
        base = float(HEIGHT - BOTTOM)
        for key in series.keys:
            height = plot_height * values.get(key, 0) / top
            base -= height
            if height > 0:
                title = f"{month} {label(key)}: {values[key]} pence"
                rects.append(Rect(LEFT + i * slot + slot * 0.15, base, slot * 0.7, height, key, title))
    return rects, ticks


def line_chart(series: Series) -> tuple[list[Polyline], list[Tick]]:
    """One line per key, a point at the centre of each month's slot (as the bars' months)."""
    top, ticks = _scale(max((max(v.values(), default=0) for v in series.values), default=0))
    plot_width, plot_height = WIDTH - LEFT - 10, HEIGHT - BOTTOM - TOP
    slot = plot_width / max(1, len(series.months))
    lines = []
    for key in series.keys:
        points = [
            (LEFT + (i + 0.5) * slot, HEIGHT - BOTTOM - plot_height * values.get(key, 0) / top)
            for i, values in enumerate(series.values)
        ]
        lines.append(Polyline(key, " ".join(f"{x:.1f},{y:.1f}" for x, y in points), points))
    return lines, ticks


def label(key: str) -> str:
    return {"W": "W (well-being)", "S": "S (savings)"}.get(key, payer_name(key))


def month_labels(series: Series, every: int = 0) -> Sequence[tuple[float, str]]:
    """x positions (centre of each month's slot) and labels, thinned so that they do not overlap."""
    slot = (WIDTH - LEFT - 10) / max(1, len(series.months))
    every = every or max(1, len(series.months) // 8)
    return [(LEFT + i * slot + slot / 2, m) for i, m in enumerate(series.months) if i % every == 0]


# The distribution of Well-being Star change per episode (reporting's GET /metrics/star-change).

W_THRESHOLD = 2  # outcome W: a review at least 2 points above the baseline (docs/domain.md §6)
STAR_TOP = 40  # room above the plot for the threshold's label and the tallest bar's count
STAR_AXIS = "Change in total Star score, baseline to latest (points)"


@dataclass(frozen=True)
class ChangeBin:
    low: int
    high: int
    count: int

    @property
    def label(self) -> str:
        return signed(self.low) if self.low == self.high else f"{signed(self.low)} to {signed(self.high)}"


@dataclass(frozen=True)
class AreaChange:
    area: str
    fell: int
    same: int
    rose: int


@dataclass(frozen=True)
class StarChange:
    """The bins from the lowest with a count to the highest, always including those around 0 and +2."""

    as_of: str
    known_at: str
    own_provider: bool  # the answer is one provider's (a provider manager's scope)
    episodes: int
    baseline_only: int
    reviewed: int
    bins: list[ChangeBin]
    mean: float | None
    median: float | None
    areas: list[AreaChange]

    @property
    def fell(self) -> int:
        return sum(b.count for b in self.bins if b.high < 0)

    @property
    def reached_threshold(self) -> int:
        return sum(b.count for b in self.bins if b.low >= W_THRESHOLD)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    count: int
    title: str
    reached: bool  # a gain of W_THRESHOLD or more


@dataclass(frozen=True)
class Histogram:
    bars: list[Bar]
    ticks: list[tuple[float, int]]  # (y, episodes)
    edges: list[tuple[float, str]]  # (x, points) under the axis
    zero_x: float
    threshold_x: float
    labelled: bool  # room for each bar's count above it


def signed(points: float) -> str:
    """`3` → `+3`, `-5` → `−5` (a real minus sign, read out as minus), `0` → `0`."""
    text = f"{abs(points):g}"
    return f"+{text}" if points > 0 else f"−{text}" if points < 0 else "0"


def star_change_from_api(answer: dict[str, Any]) -> StarChange:
    total = answer["total_change"]
    found = [ChangeBin(int(b["low"]), int(b["high"]), int(b["count"])) for b in total["bins"]]
    return StarChange(
        as_of=str(answer["as_of"]),
        known_at=str(answer["known_at"]),
        own_provider=answer.get("provider_id") is not None,
        episodes=int(answer["episodes"]),
        baseline_only=int(answer["baseline_only"]),
        reviewed=int(answer["reviewed"]),
        bins=_shown_bins(found),
        mean=total["mean"],
        median=total["median"],
        areas=[_area(area, bins) for area, bins in answer["area_change"].items()],
    )


def _shown_bins(found: list[ChangeBin]) -> list[ChangeBin]:
    """From the lowest bin with a count to the highest, widened to show 0 and the W threshold."""
    counted = [b for b in found if b.count] or [b for b in found if b.low == 0]
    low = min([b.low for b in counted] + [-W_THRESHOLD])
    high = max([b.high for b in counted] + [W_THRESHOLD + 1])
    return [b for b in found if b.low >= low and b.high <= high]


def _area(area: str, bins: list[dict[str, int]]) -> AreaChange:
    def count(keep: Callable[[int], bool]) -> int:
        return sum(int(b["count"]) for b in bins if keep(int(b["low"])))

    return AreaChange(area, count(lambda low: low < 0), count(lambda low: low == 0), count(lambda low: low > 0))


def area_name(area: str) -> str:
    """`looking_after_yourself` → `Looking after yourself`; `work_volunteering` → `Work and volunteering`."""
    return {"work_volunteering": "Work and volunteering", "family_and_friends": "Family and friends"}.get(
        area, area.replace("_", " ").capitalize()
    )


def _count_scale(top: int) -> tuple[int, list[int]]:
    """A round maximum and five ticks of whole episodes: steps of 1, 2, 5, 10, 20, 25, 50, 100, ..."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5) if magnitude == 1 else (1, 2, 2.5, 5):
            step = int(factor * magnitude)
            if step * 4 >= top:
                return step * 4, [step * i for i in range(5)]
        magnitude *= 10


def histogram(view: StarChange) -> Histogram:
    """One bar per bin, as tall as its share of a round number of episodes."""
    top, counts = _count_scale(max((b.count for b in view.bins), default=0))
    plot_width, plot_height = WIDTH - LEFT - 10, HEIGHT - BOTTOM - STAR_TOP
    slot = plot_width / max(1, len(view.bins))
    bars = []
    for i, b in enumerate(view.bins):
        height = plot_height * b.count / top
        title = f"{b.label} points: {b.count} {'episode' if b.count == 1 else 'episodes'}"
        bars.append(
            Bar(LEFT + i * slot + 1, HEIGHT - BOTTOM - height, slot - 2, height, b.count, title, b.low >= W_THRESHOLD)
        )
    every = max(1, -(-len(view.bins) // 12))
    # thinned to at most about 12 labels, on multiples of the step so that 0 is always one
    edges = [
        (LEFT + i * slot, signed(b.low)) for i, b in enumerate(view.bins) if b.low // (b.high - b.low + 1) % every == 0
    ]
    ticks = [(STAR_TOP + plot_height - plot_height * n / top, n) for n in counts]
    return Histogram(bars, ticks, edges, _edge_x(view, 0, slot), _edge_x(view, W_THRESHOLD, slot), slot >= 24)


def _edge_x(view: StarChange, points: int, slot: float) -> float:
    """Where a change of `points` begins on the axis (the bins always include 0 and the threshold)."""
    for i, b in enumerate(view.bins):
        if b.low <= points <= b.high:
            return LEFT + (i + (points - b.low) / (b.high - b.low + 1)) * slot
    return float(LEFT)
