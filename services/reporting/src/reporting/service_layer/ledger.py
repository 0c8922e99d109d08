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

import threading
from collections import OrderedDict
from collections.abc import Sequence
from datetime import date, datetime

from reporting.adapters import fact_store
from reporting.domain import Ledger, Rulebook, payable

EVERYTHING_KNOWN = "everything known"


def ledger_at(cur, rulebooks: Sequence[Rulebook], *, as_of: date, known_at: datetime,
              cache: LedgerCache | None = None) -> Ledger:
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


def _recompute(cur, rulebooks: Sequence[Rulebook], *, as_of: date, known_at: datetime) -> Ledger:
    return payable(fact_store.ledger_facts(cur, known_at), fact_store.activity_rows(cur, known_at),
                   fact_store.comparison_costs(cur, known_at), rulebooks, as_of=as_of, known_at=known_at)


class LedgerCache:
    """Ledger lines per key, valid for one inputs version; least recently used entries go first."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._entries: OrderedDict = OrderedDict()
        self._rendered: OrderedDict = OrderedDict()  # (id(lines), view) -> (lines, bytes)
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def rendered(self, lines, view) -> bytes | None:
        """Bytes an entrypoint rendered from these very lines (the same tuple object) for `view`."""
        with self._lock:
            entry = self._rendered.get((id(lines), view))
            return entry[1] if entry is not None and entry[0] is lines else None

    def remember_rendered(self, lines, view, data: bytes) -> None:
        with self._lock:
            self._rendered[(id(lines), view)] = (lines, data)
            while len(self._rendered) > self.size:
                self._rendered.popitem(last=False)

    def get(self, key, version: int):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != version:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry[1]

    def put(self, key, version: int, lines) -> None:
        with self._lock:
            current = self._entries.get(key)
            if current is not None and current[0] > version:
                return  # a newer answer is already here
            self._entries[key] = (version, lines)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
