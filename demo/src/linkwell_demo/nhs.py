"""Test-range NHS numbers for the demo programme (the rule itself is `contracts.nhs_number`)."""

from __future__ import annotations

import random

from contracts.nhs_number import check_digit as nhs_check_digit
from contracts.nhs_number import is_valid_nhs_number

__all__ = ["is_valid_nhs_number", "new_nhs_number", "nhs_check_digit"]


def new_nhs_number(rng: random.Random, taken: set[str]) -> str:
    """A valid number in the 999 range (reserved for test data, never issued to a real patient)."""
    while True:
        first_nine = "999" + f"{rng.randrange(10**6):06d}"
        check = nhs_check_digit(first_nine)
        if check is not None and first_nine + str(check) not in taken:
            return first_nine + str(check)
