"""The pages' checks of dates and moments are the APIs' own rules (the `date` and `UtcInstant` types),
each problem in words beside its field; an API's 422 field errors land on the form's fields."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from console.service_layer import inputs
from linkwell_runtime.input_guards import UtcInstant

MOMENTS = [
    "2025-09-01T12:00:00Z",
    "2025-09-01T12:00+01:00",
    "2025-09-01 12:00:00+0100",
    "9999-12-31T23:59:59Z",
    "0001-01-01T00:00:00+23:59",  # outside the calendar once in UTC
    "9999-12-31T23:59:59-23:59",
    "2025-09-01T12:00",  # no zone
    "2025-09-01T12+01:00",  # no minutes
    "20250901T120000Z",  # basic format: Python reads it, RFC 3339 does not
    "2025-02-30T12:00Z",
    "1756728000",  # Unix time
    "yesterday",
]
DATES = ["2025-06-10", "2025-06-10T00:00:00", "0001-01-01", "20250610", "2025-W24-2", "2025-02-30", "2025-6-1"]


def _api_accepts(adapter: TypeAdapter, value: str) -> bool:
    try:
        adapter.validate_python(value)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("value", MOMENTS)
def test_a_moment_passes_exactly_when_the_api_would_take_it(value):
    passes = inputs.instant_problem(value, "known_at") == {}
    assert passes == _api_accepts(TypeAdapter(UtcInstant), value)


@pytest.mark.parametrize("value", DATES)
def test_an_effective_date_passes_exactly_when_the_api_would_take_it(value):
    from datetime import date

    assert (inputs.date_problem(value, "as_of") == {}) == _api_accepts(TypeAdapter(date), value)


def test_each_bad_moment_is_told_in_words_beside_its_field():
    assert "Add the zone" in inputs.instant_problem("2025-09-01T12:00", "before")["before"]
    assert "YYYY-MM-DDTHH:MM with its zone" in inputs.instant_problem("yesterday", "after")["after"]
    outside = inputs.instant_problem("0001-01-01T00:00:00+23:59", "known_at")["known_at"]
    assert "outside the calendar once converted to UTC" in outside
    assert "not a real date and time" in inputs.instant_problem("2025-02-30T12:00Z", "known_at")["known_at"]


def test_a_moment_checks_both_fields_at_once():
    with pytest.raises(inputs.BadInput) as bad:
        inputs.moment("2025-13-01", "0001-01-01T00:00:00+23:59")
    assert set(bad.value.problems) == {"as_of", "known_at"}
    assert inputs.moment(" 2025-12-31 ", "") == inputs.Moment("2025-12-31", None)


def test_an_apis_field_errors_land_on_the_forms_fields_and_the_rest_on_the_form():
    errors = [
        {"loc": ["query", "known_at"], "msg": "Value error, is outside the calendar once converted to UTC"},
        {"loc": ["query", "provider_id"], "msg": "Input should be a valid UUID"},
        {"loc": ["query", "offset"], "msg": "Input should be less than or equal to 100000000"},
        {"msg": "NUL characters (U+0000) are not allowed"},
    ]
    problems = inputs.field_problems(errors, {"known_at": "known_at", "provider_id": "provider"})
    assert problems["known_at"] == "This value was refused: is outside the calendar once converted to UTC"
    assert problems["provider"] == "This value was refused: Input should be a valid UUID"
    assert problems[inputs.GENERAL] == (
        "offset: Input should be less than or equal to 100000000; The request: NUL characters (U+0000) are not allowed"
    )
