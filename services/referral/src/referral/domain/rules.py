"""The eligibility rulebook: numbers and lists that are configuration, not law (docs/domain.md §2)."""

from __future__ import annotations

from dataclasses import dataclass

from contracts.referral import LongTermCondition


@dataclass(frozen=True)
class EligibilityRules:
    """One versioned rulebook's eligibility criteria. Ages are inclusive, in completed years."""

    rulebook_id: str
    min_age: int
    max_age: int
    qualifying_conditions: frozenset[LongTermCondition]

    def __post_init__(self) -> None:
        if self.min_age > self.max_age:
            raise ValueError("min_age must not exceed max_age")
        if not self.qualifying_conditions:
            raise ValueError("a rulebook needs at least one qualifying condition")


W2W_2015 = EligibilityRules(
    rulebook_id="w2w-2015",
    min_age=40,
    max_age=74,
    qualifying_conditions=frozenset(LongTermCondition),
)
