"""A referral as submitted, and the same referral once intake has found it well-formed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from contracts.referral import LongTermCondition, MentalHealthNeed, ReferrerRole, Sex


@dataclass(frozen=True)
class ReferralIntake:
    """A referral as submitted (POST /referrals), before any checks. Field names match the API."""

    nhs_number: str
    given_name: str
    family_name: str
    date_of_birth: date
    sex: str
    postcode: str
    phone: str
    practice_ods_code: str
    referrer_name: str
    referrer_role: str
    conditions: Sequence[str] = ()
    mental_health: Sequence[str] = ()
    email: str | None = None
    reason: str | None = None
    referred_on: date | None = None  # None means today


@dataclass(frozen=True)
class ValidReferral:
    """A well-formed referral: normalised, typed, and dated (referred_on is always set)."""

    nhs_number: str
    given_name: str
    family_name: str
    date_of_birth: date
    sex: Sex
    postcode: str
    phone: str
    practice_ods_code: str
    referrer_name: str
    referrer_role: ReferrerRole
    conditions: tuple[LongTermCondition, ...]
    mental_health: tuple[MentalHealthNeed, ...]
    email: str | None
    reason: str | None
    referred_on: date
