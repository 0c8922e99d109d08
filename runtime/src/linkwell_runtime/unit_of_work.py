"""The unit of work every handler works with: one transaction's cursor, the settings, "now" from
the service's clock (so tests fix time the same way everywhere), the causal chain, the event store.

A service subclasses it to add what its handlers need (its caches, its secrets) and names its
producer and topic; the route dependency and the consumer build it the same way (`Services`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import ClassVar
from uuid import UUID
from zoneinfo import ZoneInfo

import psycopg2.extensions

from linkwell_runtime.repository import EventRepository, Projector, Stamp
from linkwell_runtime.settings import PlatformSettings


@dataclass
class UnitOfWork:
    cur: psycopg2.extensions.cursor
    settings: PlatformSettings
    now: datetime
    occurred_at: datetime | None = None  # business time of the cause, when it is not now
    correlation_id: UUID | None = None
    causation_id: UUID | None = None

    producer: ClassVar[str] = "linkwell"
    projector: ClassVar[Projector | None] = None  # the read-model rows that go with every append

    @property
    def topic(self) -> str | None:
        """Where this service's own events are published (None: stored only)."""
        return None

    @cached_property
    def events(self) -> EventRepository:
        return EventRepository(self.cur, producer=self.producer, topic=self.topic, project=type(self).projector)

    @property
    def today(self) -> date:
        """The business date in the service's time zone."""
        return self.now.astimezone(ZoneInfo(self.settings.timezone)).date()

    def stamp(self) -> Stamp:
        return Stamp(
            recorded_at=self.now,
            occurred_at=self.occurred_at,
            correlation_id=self.correlation_id,
            causation_id=self.causation_id,
        )
