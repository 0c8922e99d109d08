"""Data-entry corrections of the referral's own entries after intake (issue 18 item 1, docs/domain.md
§3.5): the conditions, mental-health needs, referral date, referrer and the referrer's reason, on an
open referral.

Pure: the entries are checked here; the service layer opens the patient's date of birth (a corrected
referral date needs the age on it) and seals the reason. Eligibility's criteria on the referral's own
entries (age on the referral date, a qualifying condition) are judged again with the corrected values:
a referral not yet contacted (waiting for allocation or allocated) that now fails one ends as
ineligible, its case (if open) closed by engagement; after first contact the episode goes on, the
criteria it fails listed for its team (discharge or withdraw is theirs to decide). Waiting and
allocated alike, or the practice could tell them apart (docs/security.md §3.1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from contracts.events import EventPayload
from contracts.pii import EncryptedField
from contracts.referral import (
    CorrectedEntry,
    LongTermCondition,
    MentalHealthNeed,
    ReferralEntriesCorrected,
    ReferrerRole,
)
from contracts.referral import ReferralStatus as S
from referral.domain.age import age_on
from referral.domain.contact_details import normalise_name
from referral.domain.eligibility import EligibilityFacts, assess_eligibility
from referral.domain.errors import InvalidCommand, MalformedReferral, ValidationProblem
from referral.domain.intake import MAX_REASON_LENGTH
from referral.domain.intake_dates import MAX_AGE_YEARS, business_date_problems
from referral.domain.lifecycle import OPEN_STATUSES, ensure_transition
from referral.domain.referral_closing import closing_event
from referral.domain.referral_state import ReferralState
from referral.domain.rules import W2W_2015, EligibilityRules

E = TypeVar("E", LongTermCondition, MentalHealthNeed)
# An open referral not yet contacted: one its practice is shown as `accepted` (domain/practice_view.py).
BEFORE_FIRST_CONTACT = frozenset({S.ELIGIBLE, S.ALLOCATED})


@dataclass(frozen=True)
class EntryCorrection:
    """The entries as submitted; None means "not corrected" (an empty list is a correction to none)."""

    conditions: Sequence[str] | None = None
    mental_health: Sequence[str] | None = None
    referred_on: date | None = None
    referrer_name: str | None = None
    referrer_role: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class ValidEntries:
    """The corrected entries, normalised and typed."""

    conditions: tuple[LongTermCondition, ...] | None = None
    mental_health: tuple[MentalHealthNeed, ...] | None = None
    referred_on: date | None = None
    referrer_name: str | None = None
    referrer_role: ReferrerRole | None = None
    reason: str | None = None


def valid_entries(correction: EntryCorrection, today: date) -> ValidEntries:
    """Every entry checked as at intake (MalformedReferral lists each problem, named as the API names
    it); at least one must be given."""
    problems: list[ValidationProblem] = []
    conditions = _codes(LongTermCondition, "conditions", correction.conditions, problems)
    mental_health = _codes(MentalHealthNeed, "mental_health", correction.mental_health, problems)
    if correction.referred_on is not None:
        problems += business_date_problems("referred_on", correction.referred_on, today)
    name = None
    if correction.referrer_name is not None:
        try:
            name = normalise_name(correction.referrer_name)
        except ValueError as exc:
            problems.append(ValidationProblem("referrer.name", str(exc)))
    role = None
    if correction.referrer_role is not None:
        try:
            role = ReferrerRole(correction.referrer_role)
        except ValueError:
            problems.append(ValidationProblem("referrer.role", "must be one of " + "|".join(ReferrerRole)))
    reason = None
    if correction.reason is not None:
        reason = correction.reason.strip()
        if not reason:
            problems.append(ValidationProblem("reason", "must not be blank"))
        elif len(reason) > MAX_REASON_LENGTH:
            problems.append(ValidationProblem("reason", f"at most {MAX_REASON_LENGTH} characters"))
    if all(getattr(correction, f) is None for f in EntryCorrection.__dataclass_fields__):
        problems.append(ValidationProblem("entries", "give at least one entry to correct"))
    if problems:
        raise MalformedReferral(problems)
    return ValidEntries(conditions, mental_health, correction.referred_on, name, role, reason)


def correct_entries(
    referral: ReferralState,
    entries: ValidEntries,
    *,
    on: date,
    date_of_birth: date | None = None,
    sealed_reason: EncryptedField | None = None,
    by_practice: bool = False,
    rules: EligibilityRules = W2W_2015,
) -> list[EventPayload]:
    """The correction of an open referral's entries (409 once the episode has ended, or when nothing
    changes); a referral not yet contacted that now fails a criterion is found ineligible and closed.
    `date_of_birth` is needed when the referral date changes (the age on it), `sealed_reason` when
    the reason is corrected; `by_practice` when the referring practice corrects it (a later referral
    date is bounded by what the practice was shown, not by the allocation)."""
    if referral.referral_id is None or referral.patient_id is None or referral.referred_on is None:
        raise InvalidCommand("no such referral")
    if referral.status not in OPEN_STATUSES:
        status = referral.status.value if referral.status else "missing"
        raise InvalidCommand(f"a {status} referral's entries cannot be corrected: the episode has ended")
    changed = _changed(referral, entries)
    if not changed:
        raise InvalidCommand("the entries given are the ones recorded: nothing to correct")
    age = None
    if CorrectedEntry.REFERRED_ON in changed:
        assert entries.referred_on is not None
        age = _age_on_referral_date(referral, entries.referred_on, date_of_birth, by_practice)
    if CorrectedEntry.REASON in changed and sealed_reason is None:
        raise InvalidCommand("the corrected reason must be sealed with the patient's key")
    facts = EligibilityFacts(
        age_at_referral=age if age is not None else referral.age_at_referral or 0,
        conditions=entries.conditions if entries.conditions is not None else referral.conditions,
        practice_participating=True,  # judged at intake on the platform's state; a correction changes neither
        has_open_episode=False,
    )
    decision = assess_eligibility(facts, rules)
    found_ineligible = bool(decision.reasons) and referral.status in BEFORE_FIRST_CONTACT
    if found_ineligible:
        ensure_transition(referral.status, S.INELIGIBLE)
    corrected = ReferralEntriesCorrected(
        referral_id=referral.referral_id,
        patient_id=referral.patient_id,
        corrected=tuple(sorted(changed, key=list(CorrectedEntry).index)),
        corrected_on=on,
        conditions=entries.conditions if CorrectedEntry.CONDITIONS in changed else None,
        mental_health=entries.mental_health if CorrectedEntry.MENTAL_HEALTH in changed else None,
        referred_on=entries.referred_on if age is not None else None,
        age_at_referral=age,
        referrer_name=entries.referrer_name if CorrectedEntry.REFERRER_NAME in changed else None,
        referrer_role=entries.referrer_role if CorrectedEntry.REFERRER_ROLE in changed else None,
        reason=sealed_reason if CorrectedEntry.REASON in changed else None,
        criteria_failed=decision.reasons,
        rulebook_id=decision.rulebook_id,
        found_ineligible=found_ineligible,
    )
    if not found_ineligible:
        return [corrected]
    return [corrected, closing_event(referral.apply(corrected), on, None, None)]


def _changed(referral: ReferralState, entries: ValidEntries) -> set[CorrectedEntry]:
    """The entries whose corrected value differs from the recorded one (lists compared as sets; the
    sealed reason cannot be compared here, so a given reason always counts)."""
    differs = {
        CorrectedEntry.CONDITIONS: entries.conditions is not None
        and set(entries.conditions) != set(referral.conditions),
        CorrectedEntry.MENTAL_HEALTH: entries.mental_health is not None
        and set(entries.mental_health) != set(referral.mental_health),
        CorrectedEntry.REFERRED_ON: entries.referred_on is not None and entries.referred_on != referral.referred_on,
        CorrectedEntry.REFERRER_NAME: entries.referrer_name is not None
        and entries.referrer_name != referral.referrer_name,
        CorrectedEntry.REFERRER_ROLE: entries.referrer_role is not None
        and entries.referrer_role != referral.referrer_role,
        CorrectedEntry.REASON: entries.reason is not None,
    }
    return {entry for entry, changed in differs.items() if changed}


def _age_on_referral_date(
    referral: ReferralState, referred_on: date, date_of_birth: date | None, by_practice: bool
) -> int:
    """The age on a corrected referral date: not before the patient was born (422), and not after the
    case opened (409: the case's history starts on its allocation). A practice is held to the day its
    referral was accepted (its assessment, the `status_since` it was shown), never later than the
    allocation: quoting the allocation, or refusing only an allocated referral, would tell it whether
    its referral was held in the queue (docs/security.md §3.1). A referral allocated at once is
    allocated on that day, so this is the rule most referrals always had."""
    if date_of_birth is None:
        raise InvalidCommand("the patient's date of birth is needed to correct the referral date")
    if referred_on < date_of_birth:
        raise MalformedReferral([ValidationProblem("referred_on", "is before the patient's date of birth")])
    if referred_on.year - date_of_birth.year > MAX_AGE_YEARS:
        too_late = f"is more than {MAX_AGE_YEARS} years after the patient's date of birth"
        raise MalformedReferral([ValidationProblem("referred_on", too_late)])
    if by_practice and referral.assessed_on is not None and referred_on > referral.assessed_on:
        raise InvalidCommand(
            f"the referral was accepted on {referral.assessed_on}: a practice cannot date it later"
            " (withdraw the referral and refer again)"
        )
    if referral.allocated_on is not None and referred_on > referral.allocated_on:
        raise InvalidCommand(
            f"the case opened on {referral.allocated_on}: a referral date after it would contradict the case"
            " (withdraw the referral and refer again)"
        )
    return age_on(date_of_birth, referred_on)


def _codes(
    kind: type[E], field: str, values: Sequence[str] | None, problems: list[ValidationProblem]
) -> tuple[E, ...] | None:
    if values is None:
        return None
    parsed: list[E] = []
    for i, value in enumerate(values):
        try:
            parsed.append(kind(value))
        except ValueError:
            problems.append(ValidationProblem(f"{field}[{i}]", "must be one of " + "|".join(m.value for m in kind)))
    return tuple(dict.fromkeys(parsed))  # drop repeats, keep order


__all__ = ["EntryCorrection", "ValidEntries", "correct_entries", "valid_entries"]
