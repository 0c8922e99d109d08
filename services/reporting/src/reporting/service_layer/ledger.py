"""The bitemporal question, answered from the store: payable for D as known at T."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from reporting.adapters import fact_store
from reporting.domain import Ledger, Rulebook, payable


def ledger_at(cur, rulebooks: Sequence[Rulebook], *, as_of: date, known_at: datetime) -> Ledger:
    """Loads only what was recorded by `known_at` (indexed), then lets the pure domain decide."""
    return payable(fact_store.ledger_facts(cur, known_at), fact_store.activity_rows(cur, known_at),
                   fact_store.comparison_costs(cur, known_at), rulebooks, as_of=as_of, known_at=known_at)
