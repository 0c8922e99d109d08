"""The Payable page's view model: lines with names, totals, filters, sorting and pages (the reporting
API filters, sorts, totals and pages; this names what it answers)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

PAYER_NAMES = {"ccg": "CCG", "cbo": "Commissioning Better Outcomes", "sof": "Social Outcomes Fund"}
SORT_KEYS = ("achieved_on", "amount")  # the reporting API sorts (and pages) by these


@dataclass(frozen=True)
class Line:
    """One payable line as the page shows it."""

    outcome_id: str
    outcome_type: str  # W | S
    subject: str  # the pseudonymous patient id (W) or "cohort 2019Q2, quarter 2020Q2" (S)
    achieved_on: date
    amount: int  # pence
    payer_shares: Mapping[str, int]
    provider_id: str | None
    provider: str
    link_worker_id: str | None
    link_worker: str
    rulebook: str


@dataclass(frozen=True)
class Totals:
    amount: int
    by_payer: dict[str, int]
    by_outcome: dict[str, int]
    by_provider: dict[str, int]  # provider name → pence


@dataclass(frozen=True)
class Filters:
    """What the reporting API narrows an answer by (it filters, sorts and pages; the page asks for one page)."""

    outcome_type: str | None = None  # W | S
    provider_id: str | None = None
    search: str = ""  # part of the pseudonymous patient id or of a cohort

    @property
    def any(self) -> bool:
        return bool(self.outcome_type or self.provider_id or self.search.strip())

    def params(self) -> dict[str, str]:
        found = {"outcome_type": self.outcome_type, "provider_id": self.provider_id, "search": self.search.strip()}
        return {k: v for k, v in found.items() if v}


@dataclass(frozen=True)
class Page:
    lines: Sequence[Line]
    number: int
    pages: int
    total_lines: int
    first: int = field(default=0)  # 1-based index of the first line shown (0 when none)


def line_from_api(raw: Mapping[str, Any], providers: Mapping[str, str], workers: Mapping[str, str]) -> Line:
    """A line of `GET /outcomes/payable` with names for its ids (the short id when a name is unknown)."""
    provider_id = raw.get("provider_id")
    worker_id = raw.get("link_worker_id")
    if raw["outcome_type"] == "S":
        subject = f"cohort {raw.get('cohort')}, quarter {raw.get('measured_quarter')}"
    else:
        subject = str(raw.get("patient_id"))
    return Line(
        outcome_id=str(raw["outcome_id"]),
        outcome_type=str(raw["outcome_type"]),
        subject=subject,
        achieved_on=date.fromisoformat(raw["achieved_on"]),
        amount=int(raw["amount"]),
        payer_shares={str(k): int(v) for k, v in raw.get("payer_shares", {}).items()},
        provider_id=provider_id,
        provider=name_of(provider_id, providers, none="programme"),
        link_worker_id=worker_id,
        link_worker=name_of(worker_id, workers, none="(cohort outcome)"),
        rulebook=str(raw.get("rulebook", "")),
    )


def name_of(some_id: str | None, names: Mapping[str, str], *, none: str) -> str:
    if some_id is None:
        return none
    return names.get(str(some_id), f"id {str(some_id)[:8]}…")


def totals(lines: Iterable[Line]) -> Totals:
    """Totals of the lines given, by payer, by outcome and by provider (name)."""
    amount = 0
    by_payer: dict[str, int] = {}
    by_outcome: dict[str, int] = {}
    by_provider: dict[str, int] = {}
    for line in lines:
        amount += line.amount
        for payer, pence in line.payer_shares.items():
            by_payer[payer] = by_payer.get(payer, 0) + pence
        by_outcome[line.outcome_type] = by_outcome.get(line.outcome_type, 0) + line.amount
        by_provider[line.provider] = by_provider.get(line.provider, 0) + line.amount
    return _totals(amount, by_payer, by_outcome, by_provider)


def totals_from_api(raw: Mapping[str, Any], providers: Mapping[str, str]) -> Totals:
    """The reporting API's totals of a whole answer (every page), with providers' names for their ids."""
    by_provider: dict[str, int] = {}
    for provider_id, pence in raw.get("by_provider", {}).items():
        name = name_of(None if provider_id == "programme" else provider_id, providers, none="programme")
        by_provider[name] = by_provider.get(name, 0) + int(pence)
    return _totals(
        int(raw["amount"]),
        {str(k): int(v) for k, v in raw.get("by_payer", {}).items()},
        {str(k): int(v) for k, v in raw.get("by_outcome", {}).items()},
        by_provider,
    )


def _totals(amount: int, by_payer: dict[str, int], by_outcome: dict[str, int], by_provider: dict[str, int]) -> Totals:
    return Totals(
        amount,
        dict(sorted(by_payer.items(), key=lambda item: _payer_order(item[0]))),
        dict(sorted(by_outcome.items())),
        dict(sorted(by_provider.items())),
    )


def _payer_order(code: str) -> tuple[int, str]:
    """The rulebook's order (CCG, CBO, SOF), then any other payer by code."""
    order = list(PAYER_NAMES)
    return (order.index(code) if code in order else len(order), code)


def api_sort(key: str, descending: bool = False) -> str:
    """The reporting API's `sort` for a column the page sorts by (one of SORT_KEYS)."""
    if key not in SORT_KEYS:
        raise ValueError(f"cannot sort by {key!r}")
    return f"-{key}" if descending else key


def page_window(number: int, size: int, total_lines: int) -> tuple[int, int]:
    """(page number clamped to the pages there are, the offset of its first line)."""
    pages = max(1, math.ceil(total_lines / size))
    number = min(max(1, number), pages)
    return number, (number - 1) * size


def page_of(lines: Sequence[Line], number: int, size: int, total_lines: int) -> Page:
    """Page `number` (1-based) of `size` lines, holding `lines`, of an answer of `total_lines`."""
    number, offset = page_window(number, size, total_lines)
    pages = max(1, math.ceil(total_lines / size))
    return Page(lines, number, pages, total_lines, offset + 1 if lines else 0)


def payer_name(code: str) -> str:
    return PAYER_NAMES.get(code, code)
