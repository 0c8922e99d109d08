"""What a set of paid lines adds up to (a ledger's outcomes, a claim's lines): in total, per payer,
per provider. Integer pence; S lines without a provider would total under "programme"."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol
from uuid import UUID


class Paid(Protocol):
    """A payable line or a claim line: what the totals add up."""

    @property
    def amount(self) -> int: ...

    @property
    def payer_shares(self) -> tuple[tuple[str, int], ...]: ...

    @property
    def provider_id(self) -> UUID | None: ...


class PaidLines:
    """Totals of `lines` (each subclass is a dataclass with that field)."""

    lines: Sequence[Paid]

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def totals_by_payer(self) -> dict[str, int]:
        return totals_by_payer(self.lines)

    @property
    def totals_by_provider(self) -> dict[str, int]:
        return totals_by_provider(self.lines)


def totals_by_payer(lines: Iterable[Paid]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for line in lines:
        for payer, pence in line.payer_shares:
            totals[payer] = totals.get(payer, 0) + pence
    return dict(sorted(totals.items()))


def totals_by_provider(lines: Iterable[Paid]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for line in lines:
        key = str(line.provider_id) if line.provider_id else "programme"
        totals[key] = totals.get(key, 0) + line.amount
    return dict(sorted(totals.items()))
