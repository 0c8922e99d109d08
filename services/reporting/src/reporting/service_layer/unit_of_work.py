"""Reporting's unit of work: one transaction, "now" from the service's clock, the rulebooks and the
ledger and page caches, and the two streams it publishes: its own (`ClaimClosed`, the reporting topic) and
the commissioner's accepted uploads (the commissioner topic)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import ClassVar

from linkwell_runtime.repository import EventRepository
from linkwell_runtime.unit_of_work import UnitOfWork
from reporting.config import Settings
from reporting.domain import Rulebook, load_packaged_rulebooks
from reporting.service_layer.ledger_cache import LedgerCache, PageCache


@dataclass
class ReportingUnitOfWork(UnitOfWork):
    settings: Settings
    rulebooks: tuple[Rulebook, ...] = field(default_factory=load_packaged_rulebooks)
    ledger_cache: LedgerCache | None = None  # None: every ledger is recomputed
    page_cache: PageCache | None = None  # None: every page of the payable answer is read

    producer: ClassVar[str] = "reporting"

    @property
    def topic(self) -> str:
        return self.settings.reporting_topic

    @cached_property
    def commissioner_events(self) -> EventRepository:
        """Accepted uploads: stored here, published on the commissioner topic."""
        return EventRepository(self.cur, producer=self.producer, topic=self.settings.commissioner_topic)
