"""NHS number check: ten digits (spaces/dashes allowed), the last a modulus-11 check digit."""
from __future__ import annotations


def nhs_number_problem(raw: str) -> str | None:
    """None when valid, else why not."""
    digits = "".join(ch for ch in raw if ch not in " -")
    if len(digits) != 10 or not digits.isdigit():
        return "must be 10 digits"
    remainder = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    check = 11 - remainder
    check = 0 if check == 11 else check
    if check == 10 or check != int(digits[9]):
        return "check digit is wrong"
    return None
