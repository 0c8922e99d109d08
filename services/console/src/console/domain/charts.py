"""Charts drawn on the server as SVG: the series (also shown as tables) and their geometry."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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
