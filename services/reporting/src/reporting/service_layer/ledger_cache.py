"""Answers per inputs version (see `ledger.ledger_at`, `ledger_pages.payable_page`)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import TYPE_CHECKING, Generic, TypeVar

from reporting.domain import Outcome, Uncovered

if TYPE_CHECKING:
    from reporting.service_layer.ledger_pages import RenderedPage  # noqa: F401 (named in a string below)

Lines = tuple[Outcome, ...]
Exceptions = tuple[Uncovered, ...]
V = TypeVar("V")


class VersionedCache(Generic[V]):
    """Values per key, each valid for one inputs version; least recently used go first."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, tuple[int, V]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable, version: int) -> V | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != version:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry[1]

    def put(self, key: Hashable, version: int, value: V) -> None:
        with self._lock:
            current = self._entries.get(key)
            if current is not None and current[0] > version:
                return  # a newer answer is already here
            self._entries[key] = (version, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


class LedgerCache(VersionedCache[tuple[Lines, Exceptions]]):
    """Whole ledgers: their lines and exceptions."""


class PageCache(VersionedCache["RenderedPage"]):
    """Rendered pages of the payable answer, with their totals: fewer than ledgers (a page of S lines
    carries every activity row id its cohorts counted)."""

    def __init__(self, size: int = 32) -> None:
        super().__init__(size)
