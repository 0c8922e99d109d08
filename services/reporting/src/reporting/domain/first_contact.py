"""Time to first contact (issue 18 item 5): days from a referral's allocation to the first contact or
attempt with the patient, per provider and per link worker allocated, as the median and the 90th
percentile. Pure.

- The median of an even count is the mean of the two middle values (so it may end in .5).
- The 90th percentile is the nearest rank: the smallest wait that at least 90% of waits are at or
  under (ceil(0.9 n)-th in order), so it is always a wait that happened.
- Referrals still waiting for a first contact are counted apart (`awaiting`), not in the figures.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import median
from uuid import UUID


@dataclass(frozen=True)
class FirstContactWaits:
    provider_id: UUID
    link_worker_id: UUID | None  # None: the provider's row, over all its link workers
    contacted: int
    awaiting: int
    median_days: float | None
    p90_days: int | None


def nearest_rank(values: Sequence[int], q: float) -> int:
    """The q-th quantile by the nearest-rank method (values need not be sorted; not empty)."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(q * len(ordered))) - 1]


def _figures(provider: UUID, worker: UUID | None, waits: list[int | None]) -> FirstContactWaits:
    made = [w for w in waits if w is not None]
    return FirstContactWaits(
        provider,
        worker,
        len(made),
        len(waits) - len(made),
        float(median(made)) if made else None,
        nearest_rank(made, 0.9) if made else None,
    )


def time_to_first_contact(rows: Iterable[tuple[UUID, UUID, int | None]]) -> list[FirstContactWaits]:
    """From (provider, link worker, days or None) per allocated referral: each provider's row, then
    each of its link workers', providers and workers in id order."""
    by_provider: dict[UUID, dict[UUID, list[int | None]]] = {}
    for provider, worker, days in rows:
        by_provider.setdefault(provider, {}).setdefault(worker, []).append(days)
    out: list[FirstContactWaits] = []
    for provider in sorted(by_provider, key=str):
        workers = by_provider[provider]
        out.append(_figures(provider, None, [d for waits in workers.values() for d in waits]))
        out += [_figures(provider, w, workers[w]) for w in sorted(workers, key=str)]
    return out
