"""Well-being Stars as they stand now (docs/domain.md §4, §6).

The baseline is the earliest Star of the case that is not voided; every later one is a review.
So voiding the baseline promotes the next earliest Star, and the kind written on a
`WellbeingStarRecorded` event is only the kind *at recording time*: `star_history` recomputes it
from whatever part of the history it is given (fold the events up to any point and ask).
A correction replaces a Star's scores; the original and every correction are kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from contracts.calendar import add_months
from contracts.engagement import StarKind, StarScores
from engagement.domain.case_state import CaseState
from engagement.domain.records import StarRecord

REVIEW_INTERVAL_MONTHS = 6


@dataclass(frozen=True)
class EffectiveStar:
    star_id: UUID
    taken_on: date
    scores: StarScores  # after the latest correction
    total: int
    kind: StarKind  # as it stands now
    recorded_kind: StarKind  # as written on the recording event
    corrected: bool


def star_history(case: CaseState) -> list[EffectiveStar]:
    """The case's Stars that count, oldest first: the first is the baseline, the rest reviews."""
    standing = sorted((s for s in case.stars if not s.is_voided), key=lambda s: s.taken_on)
    return [_effective(star, StarKind.BASELINE if i == 0 else StarKind.REVIEW) for i, star in enumerate(standing)]


def baseline(case: CaseState) -> EffectiveStar | None:
    history = star_history(case)
    return history[0] if history else None


def review_due_on(case: CaseState) -> date | None:
    """Six months after the latest Star that counts, while the case is open; else None."""
    history = star_history(case)
    if case.is_closed or not history:
        return None
    return add_months(history[-1].taken_on, REVIEW_INTERVAL_MONTHS)


def is_review_overdue(case: CaseState, today: date) -> bool:
    """True from the day after the review fell due (a review on the due date is on time)."""
    due = review_due_on(case)
    return due is not None and today > due


def kind_if_taken_on(case: CaseState, taken_on: date) -> StarKind:
    """The kind a new Star taken on that date would have: a baseline only if earliest of all."""
    earlier = [s for s in case.stars if not s.is_voided and s.taken_on <= taken_on]
    return StarKind.REVIEW if earlier else StarKind.BASELINE


def _effective(star: StarRecord, kind: StarKind) -> EffectiveStar:
    scores = star.current_scores
    return EffectiveStar(
        star_id=star.star_id,
        taken_on=star.taken_on,
        scores=scores,
        total=scores.total,
        kind=kind,
        recorded_kind=star.recorded_kind,
        corrected=bool(star.corrections),
    )
