"""Well-being Star scores: eight areas, each a whole number from 1 to 10 (docs/domain.md §4)."""

from __future__ import annotations

from collections.abc import Mapping

from contracts.engagement import StarArea, StarScores
from engagement.domain.errors import ValidationProblem, fail_if
from engagement.domain.inputs import is_int

MIN_SCORE, MAX_SCORE = 1, 10
AREAS = tuple(area.value for area in StarArea)


def score_problems(scores: Mapping[str, object], field: str = "scores") -> list[ValidationProblem]:
    """Every missing, unknown or out-of-range area, each named `scores.<area>`."""
    problems = [ValidationProblem(f"{field}.{name}", "unknown Star area") for name in scores if name not in AREAS]
    for area in AREAS:
        if area not in scores:
            problems.append(ValidationProblem(f"{field}.{area}", "is required"))
        elif not is_int(scores[area]) or not MIN_SCORE <= scores[area] <= MAX_SCORE:  # type: ignore[operator]
            problems.append(ValidationProblem(f"{field}.{area}", f"must be a whole number {MIN_SCORE}-{MAX_SCORE}"))
    return problems


def validate_scores(scores: Mapping[str, object] | StarScores) -> StarScores:
    """The scores as a StarScores, or ValidationFailed listing every bad field."""
    if isinstance(scores, StarScores):
        return scores
    fail_if(score_problems(scores))
    return StarScores(**scores)
