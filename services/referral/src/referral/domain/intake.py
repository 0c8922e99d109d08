"""Intake: turn a referral as submitted into a well-formed one, or list every malformed field.

A malformed referral is rejected outright and nothing is stored (docs/domain.md §2). Unknown practice codes
are malformed; a known practice that does not participate is a matter of eligibility, not shape.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import date
from enum import StrEnum
from functools import partial
from typing import TypeVar

from contracts.nhs_number import normalise_nhs_number
from contracts.referral import LongTermCondition, MentalHealthNeed, ReferrerRole, Sex
from referral.domain import contact_details as cd
from referral.domain.errors import MalformedReferral, ValidationProblem
from referral.domain.intake_dates import date_problems
from referral.domain.intake_forms import ReferralIntake, ValidReferral

MAX_REASON_LENGTH = 2000
E = TypeVar("E", bound=StrEnum)
V = TypeVar("V")


def accept_intake(intake: ReferralIntake, *, known_practice_codes: Collection[str], today: date) -> ValidReferral:
    """The normalised referral, or MalformedReferral listing every problem."""
    problems: list[ValidationProblem] = []

    def check(field: str, parse: Callable[[], V]) -> V:
        try:
            return parse()
        except ValueError as err:
            problems.append(ValidationProblem(field, str(err)))
            return None  # type: ignore[return-value]  # only returned when problems is non-empty

    referred_on = intake.referred_on or today
    valid = ValidReferral(
        nhs_number=check("nhs_number", lambda: normalise_nhs_number(intake.nhs_number)),
        given_name=check("given_name", lambda: cd.normalise_name(intake.given_name)),
        family_name=check("family_name", lambda: cd.normalise_name(intake.family_name)),
        date_of_birth=intake.date_of_birth,
        sex=check("sex", lambda: _member(Sex, intake.sex)),
        postcode=check("postcode", lambda: cd.normalise_postcode(intake.postcode)),
        phone=check("phone", lambda: cd.normalise_phone(intake.phone)),
        practice_ods_code=check(
            "practice_ods_code", lambda: _known_practice(intake.practice_ods_code, known_practice_codes)
        ),
        referrer_name=check("referrer.name", lambda: cd.normalise_name(intake.referrer_name)),
        referrer_role=check("referrer.role", lambda: _member(ReferrerRole, intake.referrer_role)),
        conditions=_members(LongTermCondition, "conditions", intake.conditions, check),
        mental_health=_members(MentalHealthNeed, "mental_health", intake.mental_health, check),
        email=None if intake.email is None else check("email", lambda: cd.normalise_email(intake.email or "")),
        reason=check("reason", lambda: _optional_text(intake.reason)),
        referred_on=referred_on,
    )
    problems.extend(date_problems(intake.date_of_birth, referred_on, today))
    if problems:
        raise MalformedReferral(problems)
    return valid


def intake_problems(
    intake: ReferralIntake, *, known_practice_codes: Collection[str], today: date
) -> list[ValidationProblem]:
    """Every problem with the referral; empty when it is well-formed."""
    try:
        accept_intake(intake, known_practice_codes=known_practice_codes, today=today)
    except MalformedReferral as rejected:
        return list(rejected.problems)
    return []


def _member(kind: type[E], value: str) -> E:
    try:
        return kind(value)
    except ValueError:
        raise ValueError("must be one of " + "|".join(m.value for m in kind)) from None


def _members(
    kind: type[E], field: str, values: Sequence[str], check: Callable[[str, Callable[[], E]], E]
) -> tuple[E, ...]:
    parsed = [check(f"{field}[{i}]", partial(_member, kind, v)) for i, v in enumerate(values)]
    return tuple(dict.fromkeys(p for p in parsed if p is not None))  # drop repeats, keep order


def normalised_ods_code(code: str) -> str:
    return code.strip().upper()


def _known_practice(code: str, known: Collection[str]) -> str:
    normalised = normalised_ods_code(code)
    if normalised not in known:
        raise ValueError("not a practice the platform knows")
    return normalised


def _optional_text(text: str | None) -> str | None:
    stripped = (text or "").strip()
    if len(stripped) > MAX_REASON_LENGTH:
        raise ValueError(f"at most {MAX_REASON_LENGTH} characters")
    return stripped or None
