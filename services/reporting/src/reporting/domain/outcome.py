"""A payable outcome: one line of the ledger, with its split, attribution and evidence."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal
from uuid import UUID, uuid5

# Fixed forever: outcome ids must be the same every time they are recomputed, so claims can diff.
OUTCOME_NAMESPACE = UUID("6f1c2b9e-5d4a-5b7e-9a41-1c0de007c00e")

OutcomeType = Literal["W", "S"]


@dataclass(frozen=True)
class Outcome:
    outcome_id: UUID
    outcome_type: OutcomeType
    achieved_on: date
    amount: int  # pence
    payer_shares: tuple[tuple[str, int], ...]  # (payer, pence) in rulebook order; sums to amount
    provider_id: UUID | None
    link_worker_id: UUID | None
    evidence: tuple[str, ...]  # event / row ids
    rulebook: str  # "w2w-2015@1"
    patient_id: UUID | None = None  # W: pseudonymous patient id
    cohort: str | None = None  # S: baseline quarter, e.g. "2019Q2"
    measured_quarter: str | None = None  # S: the quarter measured, e.g. "2020Q2"
    case_id: str | None = None  # W: the episode


def w_outcome_id(case_id: str, review_star_id: UUID) -> UUID:
    return uuid5(OUTCOME_NAMESPACE, f"W|{case_id}|{review_star_id}")


def s_outcome_id(cohort: str, measured_quarter: str, provider_id: UUID | None) -> UUID:
    return uuid5(OUTCOME_NAMESPACE, f"S|{cohort}|{measured_quarter}|{provider_id or 'programme'}")


def unique(ids: Iterable[str | None]) -> tuple[str, ...]:
    """Evidence ids without repeats, first mention kept (None skipped)."""
    return tuple(dict.fromkeys(i for i in ids if i is not None))
