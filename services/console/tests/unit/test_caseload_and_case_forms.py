"""The caseload's search (a name's words in any order and case, or an NHS number's digits, spaced or
not), the patient's name when an identity is erased or not shown, and the case forms' own checks: a
date and time made one moment in UK time, and a number that is not one refused beside its field."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from console.domain.caseload import NOT_SHOWN, Entry, Patient, patient, search
from console.service_layer.case_forms import FORMS, api_path
from console.service_layer.inputs import BadInput, field_problems

LONDON = ZoneInfo("Europe/London")


def entry(case_id: str, name: str, nhs: str | None) -> Entry:
    return Entry(case_id, Patient(name, nhs), "allocated", None, "2026-03-01")


ENTRIES = [
    entry("a", "Joan Robson", "9434765919"),
    entry("b", "Arthur Milburn", "9434765870"),
    entry("c", "Name not shown", None),
]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("robson", ["a"]),
        ("ROBSON joan", ["a"]),
        ("jo rob", ["a"]),
        ("943 476 5919", ["a"]),
        ("943-476-5870", ["b"]),
        ("94347", ["a", "b"]),
        ("Shearer", []),
        ("", ["a", "b", "c"]),
    ],
)
def test_the_caseload_is_searched_by_name_or_nhs_number(query, found):
    assert [e.case_id for e in search(ENTRIES, query)] == found


def test_an_erased_or_unshown_identity_has_no_name():
    assert patient({"erased": True}).name == "Patient erased"
    assert patient(None) == NOT_SHOWN
    assert patient({"given_name": "Joan", "family_name": "Robson", "nhs_number": "9434765919"}).name == "Joan Robson"


def test_a_contact_is_one_moment_in_uk_time_whatever_the_season():
    form = {"contact_time": "10:30", "contact_duration": "45", "contact_attended": "yes", "contact_mode": "telephone"}
    summer = FORMS["contact"].body(form | {"contact_date": "2026-07-01"}, LONDON)
    winter = FORMS["contact"].body(form | {"contact_date": "2026-01-05"}, LONDON)
    assert (summer["occurred_at"], winter["occurred_at"]) == ("2026-07-01T10:30:00+01:00", "2026-01-05T10:30:00+00:00")
    assert summer["attended"] is True and summer["venue"] is None


def test_a_contact_with_no_date_a_bad_time_and_words_for_minutes_is_refused_field_by_field():
    with pytest.raises(BadInput) as refused:
        FORMS["contact"].body({"contact_time": "25:00", "contact_duration": "forty"}, LONDON)
    assert set(refused.value.problems) == {"contact_date", "contact_time", "contact_duration", "contact_attended"}


def test_a_star_score_that_is_not_a_number_is_refused_beside_its_area():
    scores = {
        f"score_{a}": "5"
        for a in (
            "lifestyle",
            "looking_after_yourself",
            "managing_symptoms",
            "work_volunteering",
            "money",
            "where_you_live",
            "family_and_friends",
            "feeling_positive",
        )
    }
    with pytest.raises(BadInput) as refused:
        FORMS["star"].body(scores | {"score_money": "lots", "star_taken_on": "2026-03-01"}, LONDON)
    assert list(refused.value.problems) == ["score_money"]


def test_the_apis_field_errors_land_beside_the_forms_fields():
    errors = [
        {"loc": ["body", "scores", "money"], "msg": "Input should be less than or equal to 10"},
        {"loc": ["body", "occurred_at"], "msg": "Value error, is in the future"},
    ]
    assert field_problems(errors[:1], FORMS["star"].api_names) == {
        "score_money": "This value was refused: Input should be less than or equal to 10"
    }
    assert field_problems(errors[1:], FORMS["contact"].api_names) == {
        "contact_date": "This value was refused: is in the future"
    }


@pytest.mark.parametrize("typed", ["../../4f0c1c9e-2d5a-4a55-9a39-1b7d2f1a0c11/discharge?x=", "", "not-a-goal"])
def test_a_goal_id_that_is_not_a_uuid_never_becomes_part_of_the_api_path(typed):
    assert api_path(FORMS["step"], {"step_goal_id": typed}) == "goals/-/steps"


def test_a_goal_id_reaches_the_api_path_as_the_uuid_it_is():
    goal = "4F0C1C9E-2D5A-4A55-9A39-1B7D2F1A0C11"
    assert api_path(FORMS["step"], {"step_goal_id": goal}) == f"goals/{goal.lower()}/steps"
