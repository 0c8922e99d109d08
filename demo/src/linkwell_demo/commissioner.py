"""The commissioner's data feeds (docs/domain.md §6): hospital activity per patient and comparison costs."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from linkwell_demo.model import ACTIVITY, ENGAGED_ACTIVITY_FACTOR, ActivityRow


def activity(rng: random.Random, start: date, today: date, baseline_on: date | None) -> tuple[ActivityRow, ...]:
    """Hospital episodes over the period: a Poisson number per quarter per type, fewer after an
    engaged patient's baseline. Each patient has their own frailty (some use much more)."""
    frailty = rng.lognormvariate(0, 0.5)
    rows = []
    quarter_start = start
    while quarter_start < today:
        quarter_end = min(quarter_start + timedelta(days=91), today)
        factor = frailty * (ENGAGED_ACTIVITY_FACTOR if baseline_on and quarter_start >= baseline_on else 1.0)
        for activity_type, (rate, (low, high)) in ACTIVITY.items():
            for _ in range(_poisson(rng, rate * factor * (quarter_end - quarter_start).days / 91)):
                day = quarter_start + timedelta(days=rng.randrange(max(1, (quarter_end - quarter_start).days)))
                if day < today:
                    rows.append(ActivityRow(activity_type, day, rng.randint(low, high)))
        quarter_start = quarter_end
    return tuple(sorted(rows, key=lambda r: (r.activity_date, r.activity_type)))


def _poisson(rng: random.Random, lam: float) -> int:
    threshold, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= threshold:
            return k
        k += 1


def quarter_of(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def comparison_costs(rng: random.Random, start: date, today: date) -> tuple[tuple[str, int], ...]:
    """The commissioner's per-head cost for each calendar quarter of the period that has ended:
    what a comparable patient costs without the programme (a little inflation, some noise)."""
    expected = sum(rate * (low + high) / 2 for rate, (low, high) in ACTIVITY.values()) * 1.13  # lognormal mean
    out = []
    year, q = start.year, (start.month - 1) // 3 + 1
    while True:
        first = date(year, 3 * q - 2, 1)
        last = date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1) - timedelta(days=1)
        if last >= today:
            return tuple(out)
        drift = 1 + 0.01 * ((first - start).days / 91)
        out.append((f"{year}Q{q}", int(expected * drift * rng.uniform(0.95, 1.05))))
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)
