"""The Well-being Star as its users know it: eight spokes, one per area, each scored 1 to 10 from the
centre out; the baseline and the latest Star drawn as two outlines (server-rendered SVG). Pure geometry
and the table beside it; the template draws what this returns."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from contracts.engagement import StarArea

AREA_NAMES: dict[str, str] = {  # Triangle's names, in its order (the contract's)
    StarArea.LIFESTYLE: "Your lifestyle",
    StarArea.LOOKING_AFTER_YOURSELF: "Looking after yourself",
    StarArea.MANAGING_SYMPTOMS: "Managing symptoms",
    StarArea.WORK_VOLUNTEERING: "Work, volunteering and other activities",
    StarArea.MONEY: "Money",
    StarArea.WHERE_YOU_LIVE: "Where you live",
    StarArea.FAMILY_AND_FRIENDS: "Family and friends",
    StarArea.FEELING_POSITIVE: "Feeling positive",
}
AREAS: tuple[str, ...] = tuple(a.value for a in StarArea)
MAX_SCORE = 10
RINGS = (2, 4, 6, 8, 10)

WIDTH, HEIGHT = 760, 520  # the viewBox: room beside the rim for the areas' names
CENTRE_X, CENTRE_Y = WIDTH / 2, HEIGHT / 2
RADIUS = 170  # a score of 10
LABELS: dict[str, str] = {  # shorter names beside the spokes (the table gives Triangle's in full)
    **AREA_NAMES,
    StarArea.LIFESTYLE: "Lifestyle",
    StarArea.WORK_VOLUNTEERING: "Work and volunteering",
}


@dataclass(frozen=True)
class Point:
    x: float
    y: float


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    anchor: str  # start | middle | end
    text: str


@dataclass(frozen=True)
class Outline:
    name: str  # "Baseline, 10 January 2025 (total 36)"
    css: str  # lw-star-baseline | lw-star-latest
    points: str  # the polygon's "x,y x,y ..."
    vertices: tuple[Point, ...]


@dataclass(frozen=True)
class StarChart:
    width: int
    height: int
    centre: Point
    spokes: tuple[Point, ...]  # the end of each area's spoke (a score of 10)
    rings: tuple[tuple[int, str, float], ...]  # (score, polygon points, y of its scale mark) guide octagons
    labels: tuple[Label, ...]
    outlines: tuple[Outline, ...]
    rows: tuple[tuple[str, int | None, int | None, int | None], ...]  # area, baseline, latest, change
    description: str


def angle(index: int) -> float:
    """The spoke of area `index` (0..7): the first straight up, then clockwise, 45° apart."""
    return -math.pi / 2 + index * (2 * math.pi / len(AREAS))


def position(index: int, score: float) -> Point:
    """Where a score lies on its spoke: the centre is 0, the rim is MAX_SCORE."""
    r = RADIUS * score / MAX_SCORE
    a = angle(index)
    return Point(round(CENTRE_X + r * math.cos(a), 2), round(CENTRE_Y + r * math.sin(a), 2))


def _points(vertices: Sequence[Point]) -> str:
    return " ".join(f"{p.x},{p.y}" for p in vertices)


def _label(index: int) -> Label:
    p = position(index, MAX_SCORE * 1.08)
    dx = p.x - CENTRE_X
    anchor = "middle" if abs(dx) < 1 else ("start" if dx > 0 else "end")
    y = p.y + (5 if abs(p.y - CENTRE_Y) < 1 else (14 if p.y > CENTRE_Y else -4))
    return Label(p.x, round(y, 2), anchor, LABELS[StarArea(AREAS[index])])


def star_chart(baseline: Mapping[str, Any] | None, latest: Mapping[str, Any] | None) -> StarChart | None:
    """`baseline`/`latest`: Stars as the case API gives them (`taken_on`, `scores`, `total`); the latest
    is left out when it is the baseline. None when there is no Star."""
    if baseline is None:
        return None
    shown = [("Baseline", "lw-star-baseline", baseline)]
    if latest is not None and latest.get("star_id") != baseline.get("star_id"):
        shown.append(("Latest", "lw-star-latest", latest))
    outlines = []
    for name, css, star in shown:
        vertices = tuple(position(i, int(star["scores"][area])) for i, area in enumerate(AREAS))
        title = f"{name}, {star['taken_on']} (total {star['total']})"
        outlines.append(Outline(title, css, _points(vertices), vertices))
    rows = []
    for area in AREAS:
        first = int(baseline["scores"][area])
        last = int(shown[-1][2]["scores"][area]) if len(shown) > 1 else None
        rows.append((AREA_NAMES[StarArea(area)], first, last, None if last is None else last - first))
    rings = tuple((s, _points([position(i, s) for i in range(len(AREAS))]), position(0, s).y + 12) for s in RINGS)
    described = "; ".join(o.name for o in outlines)
    return StarChart(
        width=WIDTH,
        height=HEIGHT,
        centre=Point(CENTRE_X, CENTRE_Y),
        spokes=tuple(position(i, MAX_SCORE) for i in range(len(AREAS))),
        rings=rings,
        labels=tuple(_label(i) for i in range(len(AREAS))),
        outlines=tuple(outlines),
        rows=tuple(rows),
        description=f"Eight areas scored 1 to 10 from the centre out. {described}. The table below gives each score.",
    )


def baseline_and_latest(
    stars: Sequence[Mapping[str, Any]],
) -> tuple[Mapping[str, Any] | None, Mapping[str, Any] | None]:
    """The standing baseline (the earliest Star not voided) and the latest standing Star."""
    standing = sorted((s for s in stars if s.get("voided_on") is None), key=lambda s: str(s["taken_on"]))
    if not standing:
        return None, None
    return standing[0], standing[-1]
