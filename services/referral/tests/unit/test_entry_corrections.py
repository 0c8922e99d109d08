"""Data-entry corrections of the referral's own entries (issue 18 item 1, docs/domain.md §3.5): what
may change, until when, and what a correction does to eligibility before and after allocation."""

from __future__ import annotations

from datetime import date

import pytest

from contracts.pii import encrypt_field, new_data_key
from contracts.referral import CorrectedEntry, LongTermCondition, ReferralClosed, ReferralEntriesCorrected, ReferrerRole
from contracts.referral import ReferralStatus as S
from referral.domain import InvalidCommand, MalformedReferral
from referral.domain.entry_corrections import EntryCorrection, correct_entries, valid_entries

REFERRED_ON = date(2024, 6, 3)  # the unit conftest's referral date
TODAY = date(2024, 6, 20)
BORN = date(1964, 3, 10)  # the conftest patient: 60 on the referral date


def entries(**fields):
    return valid_entries(EntryCorrection(**fields), TODAY)


def test_a_waiting_referral_corrected_to_no_qualifying_condition_is_found_ineligible_and_closed(referral_in_status):
    referral, _ = referral_in_status(S.ELIGIBLE)
    events = correct_entries(referral, entries(conditions=[]), on=TODAY)
    corrected, closed = events
    assert isinstance(corrected, ReferralEntriesCorrected) and isinstance(closed, ReferralClosed)
    assert corrected.corrected == (CorrectedEntry.CONDITIONS,) and corrected.conditions == ()
    assert corrected.found_ineligible and [r.code for r in corrected.criteria_failed] == ["no_qualifying_condition"]
    assert (closed.status, closed.closed_on) == (S.INELIGIBLE, TODAY)
    assert [r.code for r in closed.ineligibility_reasons] == ["no_qualifying_condition"]
    after = referral.apply_all(events)
    assert (after.status, after.status_since, after.conditions) == (S.INELIGIBLE, TODAY, ())


def test_an_allocated_referral_not_yet_contacted_that_now_fails_a_criterion_ends_ineligible_too(referral_in_status):
    referral, _ = referral_in_status(S.ALLOCATED)
    corrected, closed = correct_entries(referral, entries(conditions=[]), on=TODAY)
    assert isinstance(corrected, ReferralEntriesCorrected) and isinstance(closed, ReferralClosed)
    assert corrected.found_ineligible
    assert (closed.status, closed.closed_on, closed.first_contact_on) == (S.INELIGIBLE, TODAY, None)
    assert closed.link_worker_id == referral.link_worker_id  # the case engagement closes
    assert referral.apply_all([corrected, closed]).status is S.INELIGIBLE


@pytest.mark.parametrize("status", [S.CONTACTED, S.ENGAGED])
def test_after_first_contact_a_referral_that_now_fails_a_criterion_goes_on_with_it_listed(referral_in_status, status):
    referral, _ = referral_in_status(status)
    (corrected,) = correct_entries(referral, entries(conditions=[]), on=TODAY)
    assert not corrected.found_ineligible
    assert [r.code for r in corrected.criteria_failed] == ["no_qualifying_condition"]
    assert referral.apply(corrected).status is status


def test_a_corrected_referral_date_carries_the_age_on_it_and_is_judged_on_it(referral_in_status):
    referral, _ = referral_in_status(S.ELIGIBLE)
    # born 1964-03-10: 51 on 2015-05-01
    (corrected,) = correct_entries(referral, entries(referred_on=date(2015, 5, 1)), on=TODAY, date_of_birth=BORN)
    assert (corrected.referred_on, corrected.age_at_referral, corrected.criteria_failed) == (date(2015, 5, 1), 51, ())
    # the same patient born 35 years later is too young on the corrected date
    young = date(1999, 3, 10)
    events = correct_entries(referral, entries(referred_on=date(2024, 3, 9)), on=TODAY, date_of_birth=young)
    assert events[0].age_at_referral == 24 and events[0].found_ineligible
    assert [r.code for r in events[0].criteria_failed] == ["age_out_of_range"]


def test_the_referral_date_cannot_move_after_the_case_opened_nor_before_birth(referral_in_status):
    referral, _ = referral_in_status(S.ALLOCATED)  # allocated on REFERRED_ON + 2 days
    assert referral.allocated_on is not None
    with pytest.raises(InvalidCommand, match="case opened"):
        correct_entries(referral, entries(referred_on=TODAY), on=TODAY, date_of_birth=BORN)
    same_day = correct_entries(referral, entries(referred_on=referral.allocated_on), on=TODAY, date_of_birth=BORN)
    assert same_day[0].referred_on == referral.allocated_on
    with pytest.raises(MalformedReferral) as refused:
        correct_entries(referral, entries(referred_on=date(2016, 1, 1)), on=TODAY, date_of_birth=date(2017, 1, 1))
    assert [p.field for p in refused.value.problems] == ["referred_on"]


@pytest.mark.parametrize("status", [S.ELIGIBLE, S.ALLOCATED])
def test_a_practice_cannot_date_its_referral_after_the_day_it_was_accepted(referral_in_status, status):
    """Waiting or allocated, the practice's bound is its assessment date (shown to it as `status_since`),
    never the allocation's, and the words are the same (docs/security.md §3.1)."""
    referral, _ = referral_in_status(status)
    assessed_on = referral.assessed_on
    assert assessed_on is not None
    with pytest.raises(InvalidCommand) as refused:
        correct_entries(referral, entries(referred_on=TODAY), on=TODAY, date_of_birth=BORN, by_practice=True)
    assert str(refused.value) == (
        f"the referral was accepted on {assessed_on}: a practice cannot date it later"
        " (withdraw the referral and refer again)"
    )
    (same_day,) = correct_entries(
        referral, entries(referred_on=assessed_on), on=TODAY, date_of_birth=BORN, by_practice=True
    )
    assert same_day.referred_on == assessed_on


def test_an_ended_episode_keeps_its_entries(referral_in_status):
    for status in (S.INELIGIBLE, S.DECLINED, S.DISCHARGED, S.UNABLE_TO_CONTACT, S.WITHDRAWN):
        referral, _ = referral_in_status(status)
        with pytest.raises(InvalidCommand, match="ended"):
            correct_entries(referral, entries(conditions=["copd"]), on=TODAY)


def test_a_correction_that_changes_nothing_is_refused(referral_in_status):
    referral, _ = referral_in_status(S.ENGAGED)
    same = entries(conditions=["type2_diabetes"], mental_health=["anxiety"])
    with pytest.raises(InvalidCommand, match="nothing to correct"):
        correct_entries(referral, same, on=TODAY)
    with pytest.raises(InvalidCommand, match="nothing to correct"):
        correct_entries(referral, entries(referred_on=REFERRED_ON, referrer_role="gp"), on=TODAY)


def test_only_the_entries_that_change_are_carried(referral_in_status):
    referral, _ = referral_in_status(S.CONTACTED)
    key = new_data_key()
    reason = encrypt_field("Lonely since moving", key_id="k", key=key, purpose="referral_reason")
    (corrected,) = correct_entries(
        referral,
        entries(conditions=["type2_diabetes", "copd"], referrer_name="Dr  B  Khan", referrer_role="gp", reason=" x "),
        on=TODAY,
        sealed_reason=reason,
    )
    assert corrected.corrected == (CorrectedEntry.CONDITIONS, CorrectedEntry.REFERRER_NAME, CorrectedEntry.REASON)
    assert corrected.conditions == (LongTermCondition.TYPE2_DIABETES, LongTermCondition.COPD)
    assert (corrected.referrer_name, corrected.referrer_role, corrected.reason) == ("Dr B Khan", None, reason)
    after = referral.apply(corrected)
    assert (after.referrer_name, after.referrer_role) == ("Dr B Khan", ReferrerRole.GP)


def test_every_malformed_entry_is_listed():
    with pytest.raises(MalformedReferral) as refused:
        entries(
            conditions=["copd", "gout"],
            mental_health=["sadness"],
            referred_on=date(2999, 1, 1),
            referrer_name="  ",
            referrer_role="surgeon",
            reason="   ",
        )
    assert [p.field for p in refused.value.problems] == [
        "conditions[1]",
        "mental_health[0]",
        "referred_on",
        "referrer.name",
        "referrer.role",
        "reason",
    ]
    with pytest.raises(MalformedReferral) as nothing:
        entries()
    assert [p.field for p in nothing.value.problems] == ["entries"]
    with pytest.raises(MalformedReferral):
        entries(referred_on=date(2015, 3, 31))  # before the programme
