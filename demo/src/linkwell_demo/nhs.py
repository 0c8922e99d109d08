"""NHS numbers: ten digits, the last a modulus-11 check digit over the first nine (weights 10..2)."""
from __future__ import annotations

import random


def nhs_check_digit(first_nine: str) -> int | None:
    """Modulus 11 over the first nine digits (weights 10..2); None when it would be 10."""
    check = 11 - sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True)) % 11
    return 0 if check == 11 else None if check == 10 else check


def is_valid_nhs_number(number: str) -> bool:
    return (len(number) == 10 and number.isdigit()
            and nhs_check_digit(number[:9]) == int(number[9]))


def new_nhs_number(rng: random.Random, taken: set[str]) -> str:
    """A valid number in the 999 range (reserved for test data, never issued to a real patient)."""
    while True:
        first_nine = "999" + f"{rng.randrange(10**6):06d}"
        check = nhs_check_digit(first_nine)
        if check is not None and first_nine + str(check) not in taken:
            return first_nine + str(check)
