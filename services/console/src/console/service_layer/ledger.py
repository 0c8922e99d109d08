"""The ledger as the finance pages show it: a page of lines with names and the whole answer's totals,
every line for a download, a moment's whole ledger, or what changed between two.

The reporting API narrows, sorts, totals and pages the answer (GET /outcomes/payable); the console asks
for the one page it shows, and walks the pages (`next`) only where it needs every line."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from console.adapters.platform_api import ApiRefused, ApiUnavailable, PlatformApi
from console.domain.changes import Changes, changes
from console.domain.payable import Filters, Line, Page, Totals, line_from_api, page_of, page_window, totals_from_api
from console.service_layer.inputs import Moment


@dataclass(frozen=True)
class Ledger:
    as_of: str
    known_at: str
    lines: list[Line]
    names_known: bool  # False when the referral service could not tell providers' names


@dataclass(frozen=True)
class PayablePage:
    """What the Payable page shows: the whole answer's totals, the narrowed answer's, one page of it."""

    as_of: str
    known_at: str
    all_totals: Totals  # every line at the moment (the caller's scope)
    all_lines: int
    shown_totals: Totals  # the lines matching the filters (every page)
    page: Page
    providers: list[tuple[str, str]]  # (id, name) of the providers with lines, by name
    names_known: bool


@dataclass(frozen=True)
class Download:
    as_of: str
    payers: list[str]
    totals: Totals  # of the lines downloaded
    lines: Iterator[Line]  # fetched page by page as they are written


def names(api: PlatformApi) -> tuple[dict[str, str], dict[str, str], bool]:
    """Providers' and link workers' names from the referral service; ids alone when it does not answer."""
    try:
        return api.providers(), api.link_workers(), True
    except (ApiUnavailable, ApiRefused):
        return {}, {}, False


def payable_page(api: PlatformApi, moment: Moment, filters: Filters, sort: str, number: int, size: int) -> PayablePage:
    """Page `number` of the lines matching `filters` in `sort` order (the API's), with both totals. The
    moment is pinned to the first answer's, so every figure on the page is of one answer."""
    whole = api.payable(moment.as_of, moment.known_at, limit=0) if filters.any else None
    as_of, known_at = (whole["as_of"], whole["known_at"]) if whole else (moment.as_of, moment.known_at)
    offset = (max(1, number) - 1) * size
    narrowed = api.payable(as_of, known_at, **filters.params(), sort=sort, limit=size, offset=offset)
    matching = narrowed["page"]["total_lines"]
    number, last = page_window(number, size, matching)
    if last != offset:  # past the last page: the last one instead
        pinned = (narrowed["as_of"], narrowed["known_at"])
        narrowed = api.payable(*pinned, **filters.params(), sort=sort, limit=size, offset=last)
    whole = whole or narrowed
    providers, workers, known = names(api)
    lines = [line_from_api(raw, providers, workers) for raw in narrowed["lines"]]
    with_lines = [p for p in whole["totals"]["by_provider"] if p != "programme"]
    return PayablePage(
        narrowed["as_of"],
        narrowed["known_at"],
        totals_from_api(whole["totals"], providers),
        whole["page"]["total_lines"],
        totals_from_api(narrowed["totals"], providers),
        page_of(lines, number, size, matching),
        sorted(((p, providers.get(p, f"id {p[:8]}…")) for p in with_lines), key=lambda item: item[1]),
        known,
    )


def download(api: PlatformApi, moment: Moment, filters: Filters, sort: str) -> Download:
    """Every line matching `filters`, in `sort` order, read from the API a page at a time as it is
    written; the totals (and the payers, the share columns) are the whole narrowed answer's."""
    first = api.payable(moment.as_of, moment.known_at, **filters.params(), sort=sort, limit=0)
    providers, workers, _ = names(api)
    pinned = {"as_of": first["as_of"], "known_at": first["known_at"]}
    raw_lines = api.payable_lines(**pinned, **filters.params(), sort=sort)
    return Download(
        first["as_of"],
        sorted(first["totals"]["by_payer"]),
        totals_from_api(first["totals"], providers),
        (line_from_api(raw, providers, workers) for raw in raw_lines),
    )


def ledger_at(api: PlatformApi, moment: Moment) -> Ledger:
    """Every line at the moment (the charts), read page by page."""
    providers, workers, known = names(api)
    return _ledger(api, moment.as_of, moment.known_at, providers, workers, known)


def _ledger(
    api: PlatformApi,
    as_of: str | None,
    known_at: str | None,
    providers: dict[str, str],
    workers: dict[str, str],
    known: bool,
) -> Ledger:
    first = api.payable(as_of, known_at, limit=0)
    raw: list[dict[str, Any]] = list(api.payable_lines(first["as_of"], first["known_at"]))
    lines = [line_from_api(line, providers, workers) for line in raw]
    return Ledger(first["as_of"], first["known_at"], lines, known)


def what_changed(api: PlatformApi, as_of: str | None, before: str, after: str) -> tuple[Ledger, Ledger, Changes]:
    providers, workers, known = names(api)
    first = _ledger(api, as_of, before, providers, workers, known)
    second = _ledger(api, as_of, after, providers, workers, known)
    return first, second, changes(first.lines, second.lines)
