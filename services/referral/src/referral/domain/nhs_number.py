"""NHS numbers: ten digits, the last a modulus-11 check digit over the first nine (weights 10..2)."""
from __future__ import annotations

_LENGTH = 10


def normalise_nhs_number(raw: str) -> str:
    """The ten digits with any whitespace removed; raises ValueError saying what is wrong."""
    digits = "".join(raw.split())
    if not digits.isascii() or not digits.isdigit():
        raise ValueError("an NHS number contains only digits")
    if len(digits) != _LENGTH:
        raise ValueError(f"an NHS number has {_LENGTH} digits, not {len(digits)}")
    expected = check_digit(digits[:9])
    if expected is None:
        raise ValueError("not a valid NHS number: its check digit would be 10")
    if int(digits[9]) != expected:
        raise ValueError("not a valid NHS number: the check digit does not match")
    return digits


def is_valid_nhs_number(raw: str) -> bool:
    try:
        normalise_nhs_number(raw)
    except ValueError:
        return False
    return True


def check_digit(first_nine: str) -> int | None:
    """Modulus 11 check digit for nine digits; None when it would be 10 (no valid number exists)."""
    total = sum(int(d) * weight for d, weight in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check
