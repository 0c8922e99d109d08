"""Money on the page: integer pence as pounds and pence, never through floats."""

from __future__ import annotations

from decimal import Decimal

import pytest

from console.domain.money import as_decimal_pounds, pounds


@pytest.mark.parametrize(
    ("pence", "shown"),
    [(0, "£0.00"), (1, "£0.01"), (99, "£0.99"), (20000, "£200.00"), (123456789, "£1,234,567.89"), (-500, "−£5.00")],
)
def test_pence_are_shown_as_pounds_and_pence(pence, shown):
    assert pounds(pence) == shown


def test_spreadsheet_amounts_are_exact_decimals():
    assert as_decimal_pounds(1) == Decimal("0.01")
    assert as_decimal_pounds(-14001) == Decimal("-140.01")
    assert sum(as_decimal_pounds(p) for p in (14000, 4000, 2000)) == Decimal("200.00")
