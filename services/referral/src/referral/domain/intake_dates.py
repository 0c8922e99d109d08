"""Date checks: a business date (the referral's, a decline's, a practice move's) is neither in the
future nor before the programme's start (docs/domain.md §6.1); at intake, born before referred and a
believable age."""

from __future__ import annotations

from datetime import date

from contracts.programme import BEFORE_PROGRAMME_START, before_programme
from referral.domain.errors import ValidationProblem

MAX_AGE_YEARS = 130


def date_problems(date_of_birth: date, referred_on: date, today: date) -> list[ValidationProblem]:
    problems = []
    if date_of_birth > today:
        problems.append(ValidationProblem("date_of_birth", "is in the future"))
    elif date_of_birth > referred_on:
        problems.append(ValidationProblem("date_of_birth", "is after the referral date"))
    elif referred_on.year - date_of_birth.year > MAX_AGE_YEARS:
        too_old = f"is more than {MAX_AGE_YEARS} years before the referral date"
        problems.append(ValidationProblem("date_of_birth", too_old))
    problems += business_date_problems("referred_on", referred_on, today)
    return problems


def business_date_problems(field: str, on: date, today: date) -> list[ValidationProblem]:
    """A business date the client gives: not in the future, not before the programme's start."""
    if on > today:
        return [ValidationProblem(field, "is in the future")]
    if before_programme(on):
        return [ValidationProblem(field, BEFORE_PROGRAMME_START)]
    return []
