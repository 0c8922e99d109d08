"""The payable answer in pages (issue 13 item 5): the lines at (D, T) narrowed by a `LinesQuery`, their
totals over the WHOLE narrowed answer (by payer, outcome and provider), then one page of lines; and
every line, streamed, for the CSV and XLSX exports.

From the materialised ledger the database narrows, orders, counts, totals and pages
(`ledger_store.answer_*`): the cost of a page is one aggregate over the answer plus the page, never a
rendering of every line; the page's lines come back as the JSON the API sends (`RenderedPage`), so
the API never decodes them. While the projection is incomplete (`lines_ready` false) the same is done
here over the recompute (`page_of`, `selected`, `ordered`), which is also what the tests hold the SQL
to. The order is total (ties in the ledger's order: achieved date, type, outcome id), so the pages of
one (D, T) never overlap or skip a line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from uuid import UUID

from reporting.adapters import ledger_store
from reporting.domain import Ledger, Outcome, Rulebook, Uncovered, exception_fields, filtered, outcome_fields
from reporting.domain.ledger import line_order
from reporting.domain.projection import outcome_from_record
from reporting.domain.totals import totals_by_payer, totals_by_provider
from reporting.service_layer.ledger import cache_key, materialised_at, payable_at
from reporting.service_layer.unit_of_work import ReportingUnitOfWork

SORTS = ledger_store.SORTS  # achieved_on, -achieved_on, amount, -amount
DEFAULT_LIMIT, MAX_LIMIT = 100, 1000


@dataclass(frozen=True)
class LinesQuery:
    """Which lines of the answer, in which order. `search`: part of a pseudonymous patient id or of a
    cohort (e.g. 2024Q1), any case."""

    payer: str | None = None
    provider_id: UUID | None = None
    outcome_type: str | None = None  # W | S
    search: str | None = None
    sort: str = "achieved_on"

    def narrowing(self) -> dict[str, Any]:
        return {
            "provider_id": self.provider_id,
            "outcome_type": self.outcome_type,
            "payer": self.payer,
            "search": self.search or None,
        }


@dataclass(frozen=True)
class AnswerTotals:
    """The whole narrowed answer: how many lines, their amount, and per payer / outcome / provider."""

    lines: int
    amount: int
    by_payer: dict[str, int]
    by_outcome: dict[str, int]
    by_provider: dict[str, int]


@dataclass(frozen=True)
class LedgerPage:
    as_of: date
    known_at: datetime
    lines: tuple[Outcome, ...]
    totals: AnswerTotals
    exceptions: tuple[Uncovered, ...]
    offset: int
    limit: int

    @property
    def next_offset(self) -> int | None:
        after = self.offset + self.limit
        return after if self.limit and after < self.totals.lines else None


@dataclass(frozen=True)
class RenderedPage:
    """One page of the answer as the API sends it: the totals, and the page's lines and the exceptions
    as JSON arrays (`outcome_fields`, `exception_fields`), rendered by the database from the stored
    records (the lines are never decoded into outcomes on the way)."""

    as_of: date
    known_at: datetime
    lines_json: str
    totals: AnswerTotals
    exceptions_json: str
    offset: int
    limit: int

    @property
    def next_offset(self) -> int | None:
        after = self.offset + self.limit
        return after if self.limit and after < self.totals.lines else None


def payable_page(
    uow: ReportingUnitOfWork,
    as_of: date | None,
    known_at: datetime | None,
    query: LinesQuery,
    offset: int = 0,
    limit: int = DEFAULT_LIMIT,
) -> RenderedPage:
    """Totals over the narrowed answer at (as_of, known_at) (defaults: today, now), then one page:
    from the materialised ledger in one statement, memoised per inputs version (`ledger.cache_key`:
    the repeated question, e.g. the same `as_of` as known now, is answered without reading the ledger)."""
    as_of, known_at = as_of or uow.today, known_at or uow.now
    cur = uow.cur
    ready, generation, version, latest = ledger_store.answer_state(cur)
    if not ready:
        return rendered(page_of(payable_at(uow, as_of, known_at), query, offset, limit))
    cache, key = uow.page_cache, None
    if cache is not None:
        key = (cache_key(cur, uow.rulebooks, generation, as_of, known_at, latest), query, offset, limit)
        hit = cache.get(key, version)
        if hit is not None:
            return replace(hit, known_at=known_at)
    totals, lines, exceptions, read_at = ledger_store.answer_page_json(
        cur, as_of, known_at, query.sort, offset, limit, **query.narrowing()
    )
    page = RenderedPage(as_of, known_at, lines, totals_of(totals), exceptions, offset, limit)
    if cache is not None and read_at == version:  # (READ COMMITTED) nothing changed the inputs in between
        cache.put(key, version, page)
    return page


def rendered(page: LedgerPage) -> RenderedPage:
    """A page of outcomes (the recompute's) as the API sends it."""
    return RenderedPage(
        page.as_of,
        page.known_at,
        json.dumps([outcome_fields(line) for line in page.lines]),
        page.totals,
        json.dumps([exception_fields(x) for x in page.exceptions]),
        page.offset,
        page.limit,
    )


@contextmanager
def every_line(
    pool: Any, rulebooks: Sequence[Rulebook], as_of: date, known_at: datetime, query: LinesQuery
) -> Iterator[tuple[AnswerTotals, Iterator[Outcome]]]:
    """The narrowed answer's totals and every line in order, read in one read-only snapshot of its own
    (the caller streams them after its request's transaction is over): through a server-side cursor
    from the materialised ledger, a batch at a time."""
    with pool.transaction() as cur:
        cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        if not ledger_store.lines_ready(cur):
            lines, _ = selected(materialised_at(cur, rulebooks, as_of=as_of, known_at=known_at), query)
            yield answer_totals(lines), iter(lines)
            return
        narrowed = query.narrowing()
        totals = totals_of(ledger_store.answer_totals(cur, as_of, known_at, **narrowed))
        records = ledger_store.answer_records(cur, as_of, known_at, query.sort, **narrowed)
        yield totals, (outcome_from_record(r) for r in records)


def totals_of(rows: Iterable[tuple[str, str, int, int]]) -> AnswerTotals:
    """The database's (group, key, lines, pence) rows (`ledger_store.answer_totals`) as `AnswerTotals`."""
    groups: dict[str, dict[str, int]] = {"outcome": {}, "provider": {}, "payer": {}}
    counts = 0
    for group, key, lines, pence in rows:
        groups[group][key] = pence
        counts += lines if group == "outcome" else 0
    by = {name: dict(sorted(found.items())) for name, found in groups.items()}
    return AnswerTotals(counts, sum(by["outcome"].values()), by["payer"], by["outcome"], by["provider"])


# --- the same over a ledger in memory (the recompute's fallback, and the tests' oracle) -------------


def selected(ledger: Ledger, query: LinesQuery) -> tuple[list[Outcome], tuple[Uncovered, ...]]:
    """The ledger's lines the query selects, in its order, and the exceptions (narrowed by provider only)."""
    kept = filtered(ledger, payer=query.payer, provider_id=str(query.provider_id) if query.provider_id else None)
    needle = (query.search or "").lower()
    lines = [
        line
        for line in kept.lines
        if (query.outcome_type is None or line.outcome_type == query.outcome_type)
        and (not needle or needle in str(line.patient_id or "") or needle in (line.cohort or "").lower())
    ]
    return ordered(lines, query.sort), kept.exceptions


def ordered(lines: Iterable[Outcome], sort: str) -> list[Outcome]:
    """In `sort` order, ties in the ledger's order (Python's sort is stable, also reversed)."""
    base = sorted(lines, key=line_order)
    descending = sort.startswith("-")
    if sort.lstrip("-") == "achieved_on":
        return sorted(base, key=lambda line: line.achieved_on, reverse=descending)
    if sort.lstrip("-") == "amount":
        return sorted(base, key=lambda line: line.amount, reverse=descending)
    raise ValueError(f"cannot sort by {sort!r}")


def answer_totals(lines: Sequence[Outcome]) -> AnswerTotals:
    by_outcome: dict[str, int] = {}
    for line in lines:
        by_outcome[line.outcome_type] = by_outcome.get(line.outcome_type, 0) + line.amount
    return AnswerTotals(
        len(lines),
        sum(line.amount for line in lines),
        totals_by_payer(lines),
        dict(sorted(by_outcome.items())),
        totals_by_provider(lines),
    )


def page_of(ledger: Ledger, query: LinesQuery, offset: int, limit: int) -> LedgerPage:
    """The ledger narrowed, ordered, totalled and cut into the page [offset, offset + limit)."""
    lines, exceptions = selected(ledger, query)
    page = tuple(lines[offset : offset + limit])
    return LedgerPage(ledger.as_of, ledger.known_at, page, answer_totals(lines), exceptions, offset, limit)
