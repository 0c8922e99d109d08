"""Splitting an amount of pence exactly: the parts always add up to the whole.

Largest-remainder (Hamilton) method: each part first gets the floor of its exact share; the pence
left over go one each to the parts with the largest remainders; ties go to the part listed first
(payers in rulebook order, providers sorted by id). Negative amounts (clawbacks) are split as their
absolute value and negated, so a clawback mirrors the original split penny for penny.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def split_shares(amount_pence: int, shares: Sequence[tuple[K, int]]) -> dict[K, int]:
    """Split by weights (basis points, head counts, ...): keys in the given order, summing exactly."""
    if amount_pence < 0:
        return {key: -part for key, part in split_shares(-amount_pence, shares).items()}
    weights = [(key, weight) for key, weight in shares]
    if any(weight < 0 for _, weight in weights):
        raise ValueError("weights must not be negative")
    total_weight = sum(weight for _, weight in weights)
    if total_weight == 0:
        raise ValueError("weights must not all be zero")
    floors = {key: amount_pence * weight // total_weight for key, weight in weights}
    remainders = [(amount_pence * weight % total_weight, -index, key) for index, (key, weight) in enumerate(weights)]
    left_over = amount_pence - sum(floors.values())
    for _, _, key in sorted(remainders, key=lambda r: (r[0], r[1]), reverse=True)[:left_over]:
        floors[key] += 1
    return floors
