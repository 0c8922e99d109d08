"""Folded cases kept between commands, so a command folds only the events it has not seen.

A case two years old has hundreds of events; decoding and folding them all on every command was the
service's write cost. Cases are immutable values, so one can be kept as it was after the last command
and, next time, brought up to date with the events stored since. Nothing is trusted blindly: the
store must still hold the cached case's last event (same version, same event id), else the case is
folded from scratch. That covers a command whose transaction rolled back after it was cached, and
other processes writing to the same case.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from uuid import UUID

from engagement.domain import Case


class CaseCache:
    """Least recently used cases, each with the id of the last event folded into it; thread-safe."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._cases: OrderedDict[UUID, tuple[Case, UUID]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, case_id: UUID) -> tuple[Case, UUID] | None:
        with self._lock:
            found = self._cases.get(case_id)
            if found is not None:
                self._cases.move_to_end(case_id)
            return found

    def put(self, case: Case, last_event_id: UUID) -> None:
        if self._size <= 0 or case.case_id is None:
            return
        with self._lock:
            self._cases[case.case_id] = (case, last_event_id)
            self._cases.move_to_end(case.case_id)
            while len(self._cases) > self._size:
                self._cases.popitem(last=False)

    def forget(self, case_id: UUID) -> None:
        with self._lock:
            self._cases.pop(case_id, None)

    def __len__(self) -> int:
        return len(self._cases)
