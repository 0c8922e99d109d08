"""Shape checks for a patient's contact details. Each returns the normalised value or raises ValueError."""

from __future__ import annotations

import re

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")
_PHONE_PUNCTUATION = str.maketrans("", "", " -()")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_NAME_LENGTH = 100
MAX_EMAIL_LENGTH = 254


def normalise_postcode(raw: str) -> str:
    """A UK postcode, upper case with one space before the inward part (`ne1 4lp` -> `NE1 4LP`)."""
    match = _POSTCODE.match(" ".join(raw.upper().split()))
    if not match:
        raise ValueError("not a UK postcode")
    return f"{match.group(1)} {match.group(2)}"


def normalise_phone(raw: str) -> str:
    """Digits with an optional leading +, punctuation removed; 10 to 15 digits."""
    compact = raw.strip().translate(_PHONE_PUNCTUATION)
    digits = compact.removeprefix("+")
    if not digits.isascii() or not digits.isdigit() or not 10 <= len(digits) <= 15:
        raise ValueError("a phone number has 10 to 15 digits")
    return compact


def normalise_email(raw: str) -> str:
    email = raw.strip()
    if len(email) > MAX_EMAIL_LENGTH or not _EMAIL.match(email):
        raise ValueError("not an email address")
    return email


def normalise_name(raw: str) -> str:
    name = " ".join(raw.split())
    if not name:
        raise ValueError("must not be blank")
    if len(name) > MAX_NAME_LENGTH:
        raise ValueError(f"at most {MAX_NAME_LENGTH} characters")
    return name
