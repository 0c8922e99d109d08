"""Ledger answers per inputs version (see `ledger.ledger_at`)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from reporting.domain import Outcome, Uncovered

Lines = tuple[Outcome, ...]
Exceptions = tuple[Uncovered, ...]


class LedgerCache:
    """Ledger lines (and exceptions) per key, valid for one inputs version; least recently used go first."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, tuple[int, Lines, Exceptions]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable, version: int) -> tuple[Lines, Exceptions] | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != version:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry[1], entry[2]

    def put(self, key: Hashable, version: int, lines: Lines, exceptions: Exceptions = ()) -> None:
        with self._lock:
            current = self._entries.get(key)
            if current is not None and current[0] > version:
                return  # a newer answer is already here
            self._entries[key] = (version, lines, exceptions)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
