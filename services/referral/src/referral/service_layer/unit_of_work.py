"""What every handler works with: one transaction's cursor, the event log, the clock, the secrets."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from referral.adapters.event_log import EventLog, Stamp
from referral.config import Settings


@dataclass
class UnitOfWork:
    cur: object
    settings: Settings
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    occurred_at: datetime | None = None  # business time of the cause, when it is not now
    correlation_id: UUID | None = None
    causation_id: UUID | None = None

    def __post_init__(self) -> None:
        self.log = EventLog(self.cur, self.settings.referral_topic)

    @property
    def today(self) -> date:
        return self.now.astimezone(ZoneInfo(self.settings.timezone)).date()

    @property
    def pseudonym_key(self) -> bytes:
        return self.settings.pseudonym_key

    def stamp(self) -> Stamp:
        return Stamp(occurred_at=self.occurred_at or self.now, recorded_at=self.now,
                     correlation_id=self.correlation_id, causation_id=self.causation_id)
