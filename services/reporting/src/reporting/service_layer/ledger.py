"""The bitemporal question, answered from the store: payable for D as known at T.

Two ways, which give the same answer (tested, property-based):
- **materialised** (`materialised_at`, the API's way): the consumer keeps each unit's outcome lines
  with their validity on the knowledge axis (`ledger_projection`, `ledger_lines`), so the ledger at
  (D, T) is one indexed range query whose cost grows with the answer, not with the history; the
  evidence of one line is a lookup by outcome id. Until the projection is complete on a database
  whose inputs predate it (`ledger_inputs.lines_ready`), the recompute answers instead.
- **recomputed** (`recomputed_at`, the oracle; claims still use it): the pure domain over every input
  recorded by T.

`ledger_at(..., cache=LedgerCache())` memoises the materialised answer: the ledger's inputs change
only in transactions that also bump `ledger_inputs.version` (`projections.apply_events`, the rebuild),
so an answer computed at one version is the answer for every later request at that version. The key
is (generation, version, rulebooks, as_of, T), where T is replaced by "everything known" (and the
quarter T falls in: an S line is payable only once its quarter is over) when T is at or after the
newest `recorded_at` of any input. An answer is cached only when the version read before loading is
still the version after (READ COMMITTED: nothing that changed the inputs committed in between).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from contracts.calendar import local_date
from linkwell_runtime.refusals import InvalidFields, NotFound
from reporting.adapters import fact_store, ledger_store
from reporting.domain import Ledger, Outcome, Quarter, Rulebook, payable
from reporting.domain.evidence_scope import own_members, withhold_other_patients
from reporting.domain.ledger import line_order
from reporting.domain.projection import outcome_from_record, uncovered_from_record
from reporting.domain.uncovered import exception_order
from reporting.service_layer.ledger_cache import LedgerCache

if TYPE_CHECKING:
    from reporting.service_layer.unit_of_work import ReportingUnitOfWork

EVERYTHING_KNOWN = "everything known"

__all__ = ["LedgerCache", "evidence", "ledger_at", "materialised_at", "payable_at", "payers", "recomputed_at"]


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
    """The ledger for `as_of` (default: today) as known at `known_at` (default: now): materialised,
    from the cache when the inputs have not changed since it was computed."""
    as_of, known_at = as_of or uow.today, known_at or uow.now
    if uow.ledger_cache is None:
        return materialised_at(uow.cur, uow.rulebooks, as_of=as_of, known_at=known_at)
    return ledger_at(uow.cur, uow.rulebooks, as_of=as_of, known_at=known_at, cache=uow.ledger_cache)


def evidence(
    uow: ReportingUnitOfWork, outcome_id: UUID, as_of: date | None, known_at: datetime | None, provider_id: UUID | None
) -> tuple[Ledger, Outcome, list[dict[str, Any]], int]:
    """The line (payable at that moment, and the caller's provider's when scoped) and the facts and
    commissioner rows that make it payable, and how many rows were withheld; 404 otherwise.
    Materialised: one lookup by outcome id. Scoped to a provider, a cohort line's hospital-activity
    rows of other providers' patients are withheld, counted only (domain.evidence_scope)."""
    as_of, known_at = as_of or uow.today, known_at or uow.now
    line: Outcome | None
    if ledger_store.lines_ready(uow.cur):
        record = ledger_store.line_record(uow.cur, outcome_id, as_of, known_at)
        line = None if record is None else outcome_from_record(record)
        ledger = Ledger(as_of, known_at, () if line is None else (line,))
    else:
        ledger = payable_at(uow, as_of, known_at)
        line = ledger.by_id().get(str(outcome_id))
    if line is None or (provider_id is not None and line.provider_id != provider_id):
        raise OutcomeNotPayable()
    items = fact_store.evidence(uow.cur, line.evidence)
    if provider_id is None or line.cohort is None:
        return ledger, line, items, 0
    members = ledger_store.cohort_member_versions(uow.cur, Quarter.parse(line.cohort))
    shown, withheld = withhold_other_patients(items, own_members(members, provider_id, known_at))
    return ledger, line, shown, withheld


def ledger_at(
    cur: Any, rulebooks: Sequence[Rulebook], *, as_of: date, known_at: datetime, cache: LedgerCache | None = None
) -> Ledger:
    """Without a cache: the recompute (the oracle). With one: the materialised answer, memoised."""
    if cache is None:
        return recomputed_at(cur, rulebooks, as_of=as_of, known_at=known_at)
    if known_at.tzinfo is None:
        raise ValueError("known_at must carry a UTC offset")
    generation, version, latest = fact_store.ledger_inputs_state(cur)
    key = cache_key(cur, rulebooks, generation, as_of, known_at, latest)
    hit = cache.get(key, version)
    if hit is not None:
        return Ledger(as_of, known_at, *hit)
    ledger = materialised_at(cur, rulebooks, as_of=as_of, known_at=known_at)
    if fact_store.ledger_inputs_state(cur)[:2] == (generation, version):
        cache.put(key, version, (ledger.lines, ledger.exceptions))
    return ledger


def cache_key(
    cur: Any, rulebooks: Sequence[Rulebook], generation: str, as_of: date, known_at: datetime, latest: datetime | None
) -> tuple[Any, ...]:
    """What an answer at (as_of, known_at) depends on besides the inputs version: (generation,
    rulebooks, as_of, T), T replaced by "everything known" when no input was recorded after it."""
    moment: Any = known_at
    if latest is None or known_at >= latest:
        # every such known_at sees the same inputs; which quarters are over still matters (outcome S
        # is payable only once its quarter is over), but only up to the last quarter any comparison
        # cost is for (no S line is for a later quarter)
        current, last = Quarter.containing(local_date(known_at)), fact_store.last_costed_quarter(cur)
        moment = (EVERYTHING_KNOWN, current if last is not None and current <= last else None)
    return (generation, tuple((r.id, r.version) for r in rulebooks), as_of, moment)


def materialised_at(cur: Any, rulebooks: Sequence[Rulebook], *, as_of: date, known_at: datetime) -> Ledger:
    """The stored versions in the ledger at (as_of, known_at); the recompute while they are incomplete."""
    if known_at.tzinfo is None:
        raise ValueError("known_at must carry a UTC offset")
    if not ledger_store.lines_ready(cur):
        return recomputed_at(cur, rulebooks, as_of=as_of, known_at=known_at)
    lines, exceptions = ledger_store.payable_records(cur, as_of, known_at)
    return Ledger(
        as_of,
        known_at,
        tuple(sorted((outcome_from_record(r) for r in lines), key=line_order)),
        tuple(sorted((uncovered_from_record(r) for r in exceptions), key=exception_order)),
    )


def recomputed_at(cur: Any, rulebooks: Sequence[Rulebook], *, as_of: date, known_at: datetime) -> Ledger:
    """The oracle: the pure domain over every input recorded by `known_at`."""
    return payable(
        fact_store.ledger_facts(cur, known_at),
        fact_store.activity_rows(cur, known_at),
        fact_store.comparison_costs(cur, known_at),
        rulebooks,
        as_of=as_of,
        known_at=known_at,
    )
