"""The bitemporal question, answered from the store: payable for D as known at T.

`ledger_at` recomputes from the facts every time (the pure domain over every input recorded by T).
`ledger_at(..., cache=LedgerCache())` answers the same, memoised: the ledger's inputs change only in
transactions that also bump `ledger_inputs.version` (`projections.apply_events`, the rebuild), so an
answer computed at one version is the answer for every later request at that version. The key is
(generation, version, rulebooks, as_of, T), where T is replaced by "everything known" when T is at or
after the newest `recorded_at` of any input: such a T sees every input, so all of them give the same
lines. An answer is cached only when the version read before loading the inputs is still the version
after (READ COMMITTED: nothing that changed the inputs committed in between).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from linkwell_runtime.refusals import InvalidFields, NotFound
from reporting.adapters import fact_store
from reporting.domain import Ledger, Outcome, Rulebook, payable
from reporting.service_layer.ledger_cache import LedgerCache

if TYPE_CHECKING:
    from reporting.service_layer.unit_of_work import ReportingUnitOfWork

EVERYTHING_KNOWN = "everything known"

__all__ = ["LedgerCache", "evidence", "ledger_at", "payable_at", "payers"]


class OutcomeNotPayable(NotFound):
    def __init__(self) -> None:
        super().__init__("outcome not payable at that moment")


def payers(rulebooks: Sequence[Rulebook]) -> list[str]:
    """Every payer of every rulebook version, in rulebook order: the stable share columns."""
    return list(dict.fromkeys(p.payer for book in rulebooks for p in book.payer_shares))


def check_payer(uow: ReportingUnitOfWork, payer: str | None) -> None:
    known = payers(uow.rulebooks)
    if payer is not None and payer not in known:
        raise InvalidFields([(["query", "payer"], f"unknown payer; one of {', '.join(known)}")])


def payable_at(uow: ReportingUnitOfWork, as_of: date | None, known_at: datetime | None) -> Ledger:
    """The ledger for `as_of` (default: today) as known at `known_at` (default: now), from the cache
    when the inputs have not changed since it was computed."""
    return ledger_at(
        uow.cur, uow.rulebooks, as_of=as_of or uow.today, known_at=known_at or uow.now, cache=uow.ledger_cache
    )


def evidence(
    uow: ReportingUnitOfWork, outcome_id: UUID, as_of: date | None, known_at: datetime | None, provider_id: UUID | None
) -> tuple[Ledger, Outcome, list[dict[str, Any]]]:
    """The line (payable at that moment, and the caller's provider's when scoped) and the facts and
    commissioner rows that make it payable; 404 otherwise."""
    ledger = payable_at(uow, as_of, known_at)
    line = ledger.by_id().get(str(outcome_id))
    if line is None or (provider_id is not None and line.provider_id != provider_id):
        raise OutcomeNotPayable()
    return ledger, line, fact_store.evidence(uow.cur, line.evidence)


def ledger_at(
    cur: Any, rulebooks: Sequence[Rulebook], *, as_of: date, known_at: datetime, cache: LedgerCache | None = None
) -> Ledger:
    """Loads only what was recorded by `known_at` (indexed), then lets the pure domain decide."""
    if cache is None:
        return _recompute(cur, rulebooks, as_of=as_of, known_at=known_at)
    if known_at.tzinfo is None:
        raise ValueError("known_at must carry a UTC offset")
    generation, version, latest = fact_store.ledger_inputs_state(cur)
    moment = EVERYTHING_KNOWN if latest is None or known_at >= latest else known_at
    key = (generation, tuple((r.id, r.version) for r in rulebooks), as_of, moment)
    lines = cache.get(key, version)
    if lines is not None:
        return Ledger(as_of, known_at, lines)
    ledger = _recompute(cur, rulebooks, as_of=as_of, known_at=known_at)
    if fact_store.ledger_inputs_state(cur)[:2] == (generation, version):
        cache.put(key, version, ledger.lines)
    return ledger


def _recompute(cur: Any, rulebooks: Sequence[Rulebook], *, as_of: date, known_at: datetime) -> Ledger:
    return payable(
        fact_store.ledger_facts(cur, known_at),
        fact_store.activity_rows(cur, known_at),
        fact_store.comparison_costs(cur, known_at),
        rulebooks,
        as_of=as_of,
        known_at=known_at,
    )
