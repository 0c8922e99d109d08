"""NHS numbers, one rule for every service: ten digits, the last a modulus-11 check digit over the
first nine (weights 10..2; a number whose check would be 10 is never issued). The check is
python-stdnum's `gb.nhs`; this module adds the reasons a person is told and the written forms.

Written forms: spaces are always allowed (the NHS displays numbers as "943 476 5919"). Dashes
("943-476-5919") are allowed where the number comes from another system (`dashes=True`: commissioner
files, pseudonym keys), not on the referral form, where a person is asked for the digits.
"""

from __future__ import annotations

from typing import Literal

from stdnum.gb import nhs

LENGTH = 10
Reason = Literal["format", "length", "checksum"]


class InvalidNhsNumber(ValueError):
    """Why a string is not an NHS number: `reason` for code, the message for people."""

    def __init__(self, reason: Reason, message: str) -> None:
        self.reason: Reason = reason
        super().__init__(message)


def normalise_nhs_number(raw: str, *, dashes: bool = False) -> str:
    """The ten digits, separators removed; raises InvalidNhsNumber saying what is wrong."""
    digits = written_digits(raw, dashes=dashes)
    if check_digit(digits[:9]) is None:
        raise InvalidNhsNumber("checksum", "not a valid NHS number: its check digit would be 10")
    if not nhs.is_valid(digits):
        raise InvalidNhsNumber("checksum", "not a valid NHS number: the check digit does not match")
    return digits


def written_digits(raw: str, *, dashes: bool = False) -> str:
    """Ten digits however they were written, the check digit not yet checked (a pseudonym's key)."""
    digits = "".join(raw.replace("-", "").split() if dashes else raw.split())
    if not digits.isascii() or not digits.isdigit():
        raise InvalidNhsNumber("format", "an NHS number contains only digits")
    if len(digits) != LENGTH:
        raise InvalidNhsNumber("length", f"an NHS number has {LENGTH} digits, not {len(digits)}")
    return digits


def is_valid_nhs_number(raw: str, *, dashes: bool = False) -> bool:
    try:
        normalise_nhs_number(raw, dashes=dashes)
    except InvalidNhsNumber:
        return False
    return True


def check_digit(first_nine: str) -> int | None:
    """Modulus-11 check digit for nine digits; None when it would be 10 (no valid number exists)."""
    check = (-nhs.checksum(first_nine + "0")) % 11
    return None if check == 10 else check
