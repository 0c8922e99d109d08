from datetime import date, timedelta

import pytest

from contracts.referral import LongTermCondition, MentalHealthNeed, ReferrerRole, Sex
from referral.domain import MalformedReferral, ValidationProblem, accept_intake, intake_problems


def problems(intake, known_practices, today):
    return intake_problems(intake, known_practice_codes=known_practices, today=today)


def fields(found):
    return [p.field for p in found]


def test_a_well_formed_referral_is_normalised(intake, known_practices, today):
    valid = accept_intake(
        intake(conditions=["copd", "asthma", "copd"], mental_health=["depression"]),
        known_practice_codes=known_practices,
        today=today,
    )
    assert valid.nhs_number == "9434765919"
    assert valid.postcode == "NE1 4LP"
    assert valid.phone == "01914960000"
    assert valid.practice_ods_code == "A86001"
    assert valid.sex is Sex.FEMALE
    assert valid.referrer_role is ReferrerRole.GP
    assert valid.conditions == (LongTermCondition.COPD, LongTermCondition.ASTHMA)
    assert valid.mental_health == (MentalHealthNeed.DEPRESSION,)


def test_every_malformed_field_is_reported_at_once_with_its_name(intake, known_practices, today):
    found = problems(
        intake(
            nhs_number="9434765918",
            practice_ods_code="Z99999",
            date_of_birth=today + timedelta(days=1),
            referred_on=today + timedelta(days=1),
            sex="f",
            referrer_role="receptionist",
            conditions=["copd", "gout"],
            mental_health=["anxiety", "stress"],
        ),
        known_practices,
        today,
    )
    assert set(fields(found)) == {
        "nhs_number",
        "practice_ods_code",
        "date_of_birth",
        "referred_on",
        "sex",
        "referrer.role",
        "conditions[1]",
        "mental_health[1]",
    }
    assert all(isinstance(p, ValidationProblem) and p.message for p in found)


def test_accepting_a_malformed_referral_raises_with_all_its_problems(intake, known_practices, today):
    with pytest.raises(MalformedReferral) as rejected:
        accept_intake(intake(nhs_number="123", sex="x"), known_practice_codes=known_practices, today=today)
    assert fields(rejected.value.problems) == ["nhs_number", "sex"]


def test_an_unknown_practice_code_is_malformed(intake, known_practices, today):
    assert fields(problems(intake(practice_ods_code="B99999"), known_practices, today)) == ["practice_ods_code"]


def test_a_date_of_birth_in_the_future_is_malformed(intake, known_practices, today):
    found = problems(intake(date_of_birth=today + timedelta(days=1), referred_on=None), known_practices, today)
    assert found == [ValidationProblem("date_of_birth", "is in the future")]


def test_a_date_of_birth_after_the_referral_date_is_malformed(intake, known_practices, today):
    found = problems(intake(date_of_birth=today, referred_on=today - timedelta(days=1)), known_practices, today)
    assert found == [ValidationProblem("date_of_birth", "is after the referral date")]


def test_a_referral_date_in_the_future_is_malformed(intake, known_practices, today):
    found = problems(intake(referred_on=today + timedelta(days=1)), known_practices, today)
    assert found == [ValidationProblem("referred_on", "is in the future")]


def test_an_unbelievable_date_of_birth_is_malformed(intake, known_practices, today):
    assert fields(problems(intake(date_of_birth=date(1850, 1, 1)), known_practices, today)) == ["date_of_birth"]


def test_no_conditions_is_well_formed_because_it_is_a_matter_of_eligibility(intake, known_practices, today):
    assert problems(intake(conditions=[], mental_health=[]), known_practices, today) == []


def test_the_referral_date_defaults_to_today(intake, known_practices, today):
    valid = accept_intake(intake(referred_on=None), known_practice_codes=known_practices, today=today)
    assert valid.referred_on == today


@pytest.mark.parametrize(
    ("field", "bad_value"),
    [
        ("given_name", "  "),
        ("family_name", ""),
        ("referrer_name", " "),
        ("postcode", "NE1"),
        ("phone", "12345"),
        ("email", "not-an-email"),
        ("reason", "x" * 2001),
    ],
)
def test_contact_details_and_names_must_have_a_believable_shape(intake, known_practices, today, field, bad_value):
    expected = "referrer.name" if field == "referrer_name" else field
    assert fields(problems(intake(**{field: bad_value}), known_practices, today)) == [expected]


def test_email_and_reason_are_optional(intake, known_practices, today):
    valid = accept_intake(intake(email=None, reason="   "), known_practice_codes=known_practices, today=today)
    assert valid.email is None and valid.reason is None
