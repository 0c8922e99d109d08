"""Exact age in whole years on a given date."""

from __future__ import annotations

from datetime import date


def age_on(date_of_birth: date, on: date) -> int:
    """Completed years on `on`. Someone born on 29 February gets a year older on 1 March in
    years without a 29 February (the usual reading in England and Wales)."""
    if on < date_of_birth:
        raise ValueError("the date is before the date of birth")
    not_yet_had_birthday = (on.month, on.day) < (date_of_birth.month, date_of_birth.day)
    return on.year - date_of_birth.year - int(not_yet_had_birthday)
