"""What every handler works with: one transaction's cursor, the settings and the clock."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TypeVar
from uuid import UUID
from zoneinfo import ZoneInfo

from engagement.adapters.case_store import Stamp
from engagement.config import Settings
from linkwell_runtime.eventstore import ConcurrencyConflict

T = TypeVar("T")
Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class UnitOfWork:
    cur: object
    settings: Settings
    now: datetime
    correlation_id: UUID | None = None
    causation_id: UUID | None = None

    @property
    def today(self) -> date:
        return self.now.astimezone(ZoneInfo(self.settings.timezone)).date()

    def stamp(self) -> Stamp:
        return Stamp(recorded_at=self.now, correlation_id=self.correlation_id, causation_id=self.causation_id)


def retrying_on_conflict(action: Callable[[], T], attempts: int = 2) -> T:
    """Run `action`; if a concurrent writer appended first, run it again (it reloads the case).
    The failed append rolled back to its savepoint, so the transaction is still usable."""
    for attempt in range(1, attempts + 1):
        try:
            return action()
        except ConcurrencyConflict:
            if attempt == attempts:
                raise
    raise AssertionError("unreachable")
