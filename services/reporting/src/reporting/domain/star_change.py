"""The distribution of Well-being Star change per episode, baseline to latest, as known at a moment.

An episode (a case) counts when it has a Star not voided taken by the effective date. Its baseline is
the earliest such Star, its latest the last (by date taken, ties in recorded order: as `episode.py`
orders them), each with every correction known applied. Only facts recorded by `known_at` are given,
so voids and corrections recorded later do not count yet. An episode with one such Star has a
baseline only: no change yet, counted apart from the bins.

Bins. The total is 8 areas scored 1..10, so 8..80, and a change runs from -72 to +72. The bins are two
points wide and start on even numbers ([-2, -1], [0, 1], [2, 3], ...): 0 and +2 are both bin edges, so
"fell" (below 0), "up by less than 2" ([0, 1]) and "up by 2 or more" (outcome W's threshold) are each a
set of whole bars; two points is a quarter of a step per area, fine enough for the spread a cohort
shows (about -20..+30) and coarse enough for a readable chart. Every bin of the range is listed, so
answers for different moments and providers line up. Per area (1..10, a change of -9..+9) each point
is its own bin.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from statistics import median
from typing import Literal

AREA_COUNT, LOWEST, HIGHEST = 8, 1, 10
TOTAL_SPAN = AREA_COUNT * (HIGHEST - LOWEST)  # 72: the largest change of a total
AREA_SPAN = HIGHEST - LOWEST  # 9: the largest change of one area
TOTAL_BIN_WIDTH = 2

FactKind = Literal["recorded", "corrected", "voided", "held"]


@dataclass(frozen=True)
class StarFact:
    """What the distribution reads of a case's fact: a Star recorded, corrected or voided, or who
    holds the case since when (`CaseOpened`, `CaseReassigned`)."""

    kind: FactKind
    case_id: str
    star_id: str | None = None
    day: date | None = None  # taken on (recorded); held since (held)
    scores: Mapping[str, int] | None = None  # recorded, corrected
    provider_id: str | None = None


@dataclass(frozen=True)
class EpisodeChange:
    case_id: str
    provider_id: str | None  # who held the case on the latest Star's date
    total: int | None  # None: a baseline only
    areas: Mapping[str, int] | None


@dataclass(frozen=True)
class Bin:
    low: int  # inclusive
    high: int  # inclusive
    count: int


@dataclass(frozen=True)
class Distribution:
    episodes: int  # with a baseline
    baseline_only: int  # no later Star yet: no change to count
    reviewed: int  # in the bins
    total_bins: tuple[Bin, ...]
    area_bins: Mapping[str, tuple[Bin, ...]]
    mean: float | None  # of the total change, 2 decimals; None when none was reviewed
    median: float | None


@dataclass
class _Star:
    star_id: str
    taken_on: date
    scores: Mapping[str, int]
    provider_id: str | None
    voided: bool = False


def episode_changes(facts: Iterable[StarFact], as_of: date) -> list[EpisodeChange]:
    """One change per case with a Star standing by `as_of`; `facts` in each case's recorded order."""
    stars: dict[str, dict[str, _Star]] = {}
    held: dict[str, list[tuple[date, str | None]]] = {}
    for fact in facts:
        case = stars.setdefault(fact.case_id, {})
        if fact.kind == "held" and fact.day is not None:
            held.setdefault(fact.case_id, []).append((fact.day, fact.provider_id))
        elif fact.kind == "recorded" and fact.star_id and fact.day and fact.scores is not None:
            case[fact.star_id] = _Star(fact.star_id, fact.day, fact.scores, fact.provider_id)
        elif fact.star_id in case and fact.star_id is not None:
            if fact.kind == "corrected" and fact.scores is not None:
                case[fact.star_id].scores = fact.scores
            elif fact.kind == "voided":
                case[fact.star_id].voided = True
    changes = [_change(case_id, found, held.get(case_id, []), as_of) for case_id, found in sorted(stars.items())]
    return [change for change in changes if change is not None]


def _change(
    case_id: str, stars: Mapping[str, _Star], held: Sequence[tuple[date, str | None]], as_of: date
) -> EpisodeChange | None:
    standing = sorted((s for s in stars.values() if not s.voided and s.taken_on <= as_of), key=lambda s: s.taken_on)
    if not standing:
        return None
    baseline, latest = standing[0], standing[-1]
    provider = _holder_on(latest.taken_on, held) or latest.provider_id
    if len(standing) == 1:
        return EpisodeChange(case_id, provider, None, None)
    areas = {area: latest.scores[area] - baseline.scores[area] for area in baseline.scores}
    return EpisodeChange(case_id, provider, sum(areas.values()), areas)


def _holder_on(day: date, held: Sequence[tuple[date, str | None]]) -> str | None:
    """The ledger's attribution: the latest holding dated on or before the day, else the first."""
    earlier = [h for h in held if h[0] <= day]
    if earlier:
        return max(earlier, key=lambda h: h[0])[1]
    return held[0][1] if held else None


def distribution(changes: Sequence[EpisodeChange], areas: Sequence[str]) -> Distribution:
    reviewed = [c for c in changes if c.total is not None]
    totals = [c.total for c in reviewed if c.total is not None]
    return Distribution(
        episodes=len(changes),
        baseline_only=len(changes) - len(reviewed),
        reviewed=len(reviewed),
        total_bins=binned(totals, TOTAL_SPAN, TOTAL_BIN_WIDTH),
        area_bins={area: binned([c.areas[area] for c in reviewed if c.areas], AREA_SPAN, 1) for area in areas},
        mean=round(sum(totals) / len(totals), 2) if totals else None,
        median=float(median(totals)) if totals else None,
    )


def binned(values: Iterable[int], span: int, width: int) -> tuple[Bin, ...]:
    """Counts in bins `width` wide starting on multiples of `width`, covering -span..+span."""
    first, last = -span // width, span // width  # floor division: -72 // 2 = -36, -9 // 1 = -9
    counts = dict.fromkeys(range(first, last + 1), 0)
    for value in values:
        counts[value // width] += 1
    return tuple(Bin(k * width, k * width + width - 1, n) for k, n in counts.items())
