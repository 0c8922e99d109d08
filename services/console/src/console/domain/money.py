"""Money is integer pence on the wire (docs/architecture.md §4.10); pounds and pence only on the page."""

from __future__ import annotations

from decimal import Decimal


def pounds(pence: int) -> str:
    """`123456` → `£1,234.56`; a clawback `-500` → `−£5.00` (a real minus sign, read out as minus)."""
    sign = "−" if pence < 0 else ""
    whole, part = divmod(abs(pence), 100)
    return f"{sign}£{whole:,}.{part:02d}"


def as_decimal_pounds(pence: int) -> Decimal:
    """Exact pounds for a spreadsheet's currency cell: `123456` → `Decimal('1234.56')`."""
    return Decimal(pence).scaleb(-2)
