from datetime import date

import pytest

from referral.domain.age import age_on


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(1984, 6, 3), date(2024, 6, 3), 40),  # birthday on the day
        (date(1984, 6, 3), date(2024, 6, 2), 39),  # the day before
        (date(1984, 2, 29), date(2024, 2, 29), 40),  # leap-day birthday in a leap year
        (date(1984, 2, 29), date(2024, 2, 28), 39),
        (date(2000, 2, 29), date(2001, 2, 28), 0),  # no 29 February: not yet a year older...
        (date(2000, 2, 29), date(2001, 3, 1), 1),  # ...until 1 March
        (date(1964, 12, 31), date(2024, 1, 1), 59),
    ],
)
def test_age_is_completed_years_on_the_date(born, on, age):
    assert age_on(born, on) == age


def test_age_before_birth_is_refused():
    with pytest.raises(ValueError):
        age_on(date(2024, 1, 2), date(2024, 1, 1))
