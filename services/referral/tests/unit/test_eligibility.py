from datetime import date

import pytest

from contracts.referral import LongTermCondition, ReferralStatus
from referral.domain import W2W_2015, EligibilityFacts, EligibilityRules, age_on, assess_eligibility


def facts(**overrides):
    base = dict(
        age_at_referral=55, conditions={LongTermCondition.COPD}, practice_participating=True, has_open_episode=False
    )
    return EligibilityFacts(**{**base, **overrides})


def eligible_when_born_on(born: date, referred: date) -> bool:
    return assess_eligibility(facts(age_at_referral=age_on(born, referred)), W2W_2015).eligible


def test_patient_aged_39_on_referral_date_is_ineligible():
    assert not eligible_when_born_on(date(1984, 6, 4), date(2024, 6, 3))


def test_patient_whose_40th_birthday_is_the_referral_date_is_eligible():
    assert eligible_when_born_on(date(1984, 6, 3), date(2024, 6, 3))


def test_patient_aged_74_the_day_before_their_75th_birthday_is_eligible():
    assert eligible_when_born_on(date(1949, 6, 4), date(2024, 6, 3))


def test_patient_whose_75th_birthday_is_the_referral_date_is_ineligible():
    assert not eligible_when_born_on(date(1949, 6, 3), date(2024, 6, 3))


def test_patient_born_on_29_february_turns_40_on_29_february_in_a_leap_year():
    assert not eligible_when_born_on(date(1984, 2, 29), date(2024, 2, 28))
    assert eligible_when_born_on(date(1984, 2, 29), date(2024, 2, 29))


def test_patient_born_on_29_february_turns_75_on_1_march_in_a_common_year():
    assert eligible_when_born_on(date(1948, 2, 29), date(2023, 2, 28))
    assert not eligible_when_born_on(date(1948, 2, 29), date(2023, 3, 1))


def test_an_eligible_referral_has_no_reasons_and_names_its_rulebook():
    decision = assess_eligibility(facts(), W2W_2015)
    assert decision.eligible and decision.reasons == () and decision.rulebook_id == "w2w-2015"


def test_every_failed_criterion_is_listed_together():
    decision = assess_eligibility(
        facts(age_at_referral=30, conditions=set(), practice_participating=False, has_open_episode=True), W2W_2015
    )
    assert not decision.eligible
    assert [r.code for r in decision.reasons] == [
        "age_out_of_range",
        "no_qualifying_condition",
        "practice_not_participating",
        "open_episode_exists",
    ]
    assert all(r.message for r in decision.reasons)


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"age_at_referral": 75}, "age_out_of_range"),
        ({"conditions": set()}, "no_qualifying_condition"),
        ({"practice_participating": False}, "practice_not_participating"),
        ({"has_open_episode": True}, "open_episode_exists"),
    ],
)
def test_each_criterion_alone_makes_a_referral_ineligible(overrides, code):
    assert [r.code for r in assess_eligibility(facts(**overrides), W2W_2015).reasons] == [code]


@pytest.mark.parametrize("condition", list(LongTermCondition))
def test_each_listed_long_term_condition_qualifies(condition):
    assert assess_eligibility(facts(conditions={condition}), W2W_2015).eligible


def test_anxiety_alone_does_not_qualify(received_referral):
    referral, _ = received_referral(conditions=[], mental_health=["anxiety", "depression"])
    events = referral.assess(practice_participating=True, has_open_episode=False, on=referral.referred_on)
    assessed = events[0]
    assert not assessed.eligible
    assert [r.code for r in assessed.reasons] == ["no_qualifying_condition"]
    assert referral.apply_all(events).status is ReferralStatus.INELIGIBLE


def test_a_later_rulebook_can_change_the_numbers():
    copd_only = frozenset({LongTermCondition.COPD})
    rules = EligibilityRules("w2w-2030", min_age=18, max_age=80, qualifying_conditions=copd_only)
    assert assess_eligibility(facts(age_at_referral=20), rules).eligible
    assert not assess_eligibility(facts(conditions={LongTermCondition.ASTHMA}), rules).eligible
    assert assess_eligibility(facts(), rules).rulebook_id == "w2w-2030"


def test_a_rulebook_with_an_impossible_age_range_is_refused():
    with pytest.raises(ValueError):
        EligibilityRules("bad", min_age=75, max_age=40, qualifying_conditions=frozenset(LongTermCondition))
