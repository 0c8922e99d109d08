"""Composition root: settings, database (schema) and pool, the clock, the rulebooks and the ledger
cache, wired once for the API, the consumer and the rebuild."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from contracts import Envelope
from linkwell_runtime import db, service
from linkwell_runtime.clock import Clock, system_clock
from linkwell_runtime.service import Services, caused_by
from reporting.config import Settings
from reporting.domain import Rulebook, load_packaged_rulebooks
from reporting.service_layer.ledger_cache import LedgerCache, PageCache
from reporting.service_layer.unit_of_work import ReportingUnitOfWork


@dataclass
class ReportingServices(Services):
    settings: Settings
    rulebooks: tuple[Rulebook, ...] = field(default_factory=load_packaged_rulebooks)
    ledger_cache: LedgerCache = field(default_factory=LedgerCache)  # GET /outcomes/... answers, per inputs version
    page_cache: PageCache = field(default_factory=PageCache)  # GET /outcomes/payable pages, per inputs version

    def unit_of_work(self, cur: Any, cause: Envelope | None = None) -> ReportingUnitOfWork:
        return ReportingUnitOfWork(
            cur,
            self.settings,
            self.clock(),
            **caused_by(cause),
            rulebooks=self.rulebooks,
            ledger_cache=self.ledger_cache,
            page_cache=self.page_cache,
        )


def prepare_database(dsn: str, owner_dsn: str = "") -> None:
    """Apply the runtime's and the service's idempotent schema (as the schema owner when `owner_dsn` is given)."""
    service.prepare_database(dsn, "reporting.adapters.sql", owner_dsn=owner_dsn)


def bootstrap(settings: Settings | None = None, clock: Clock | None = None) -> ReportingServices:
    settings = settings or Settings()
    prepare_database(settings.database_url, settings.database_owner_url)
    return ReportingServices(settings, db.Pool(settings.database_url), clock or system_clock)
