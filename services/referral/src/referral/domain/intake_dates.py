"""Date checks at intake: nothing in the future, born before referred, and a believable age."""

from __future__ import annotations

from datetime import date

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
    if referred_on > today:
        problems.append(ValidationProblem("referred_on", "is in the future"))
    return problems
