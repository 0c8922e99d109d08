"""What every handler works with: one transaction's cursor, the settings and the clock."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from engagement.adapters.case_cache import CaseCache
from engagement.adapters.case_store import Stamp
from engagement.config import Settings

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
    cases: CaseCache | None = None  # the process's folded cases; None folds every case from scratch

    @property
    def today(self) -> date:
        return self.now.astimezone(ZoneInfo(self.settings.timezone)).date()

    def stamp(self) -> Stamp:
        return Stamp(recorded_at=self.now, correlation_id=self.correlation_id, causation_id=self.causation_id)
