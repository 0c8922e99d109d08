"""Eligibility on the referral date (docs/domain.md §2): every failed criterion is listed, not just the first."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from contracts.referral import IneligibilityReason, LongTermCondition
from referral.domain.rules import EligibilityRules

AGE_OUT_OF_RANGE = "age_out_of_range"
NO_QUALIFYING_CONDITION = "no_qualifying_condition"
PRACTICE_NOT_PARTICIPATING = "practice_not_participating"
OPEN_EPISODE_EXISTS = "open_episode_exists"


@dataclass(frozen=True)
class EligibilityFacts:
    """What eligibility depends on, as it stood on the referral date. `has_open_episode`: an open
    referral of the patient from the same practice (one from another practice makes the referral wait,
    not fail: the referring practice must not learn that the patient is known elsewhere)."""

    age_at_referral: int
    conditions: Collection[LongTermCondition]
    practice_participating: bool
    has_open_episode: bool


@dataclass(frozen=True)
class EligibilityDecision:
    eligible: bool
    reasons: tuple[IneligibilityReason, ...]
    rulebook_id: str


def assess_eligibility(facts: EligibilityFacts, rules: EligibilityRules) -> EligibilityDecision:
    reasons = tuple(reason for reason in _failed_criteria(facts, rules) if reason is not None)
    return EligibilityDecision(eligible=not reasons, reasons=reasons, rulebook_id=rules.rulebook_id)


def _failed_criteria(facts: EligibilityFacts, rules: EligibilityRules) -> list[IneligibilityReason | None]:
    return [
        _age(facts.age_at_referral, rules),
        _condition(facts.conditions, rules),
        None
        if facts.practice_participating
        else _reason(PRACTICE_NOT_PARTICIPATING, "The patient's practice does not take part in the programme."),
        _reason(OPEN_EPISODE_EXISTS, "The patient already has an open referral from this practice.")
        if facts.has_open_episode
        else None,
    ]


def _age(age: int, rules: EligibilityRules) -> IneligibilityReason | None:
    if rules.min_age <= age <= rules.max_age:
        return None
    return _reason(
        AGE_OUT_OF_RANGE,
        f"The patient was {age} on the referral date; the programme is for ages {rules.min_age} to {rules.max_age}.",
    )


def _condition(conditions: Collection[LongTermCondition], rules: EligibilityRules) -> IneligibilityReason | None:
    if rules.qualifying_conditions.intersection(conditions):
        return None
    return _reason(
        NO_QUALIFYING_CONDITION,
        "The patient has none of the qualifying long-term conditions (anxiety or depression alone do not qualify).",
    )


def _reason(code: str, message: str) -> IneligibilityReason:
    return IneligibilityReason(code=code, message=message)
