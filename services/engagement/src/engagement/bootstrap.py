"""Composition root: the settings, the database (schema and pool), the clock and the folded-case cache,
wired once for the API and the consumer alike."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from contracts import Envelope
from engagement.adapters import case_texts
from engagement.adapters.case_cache import CaseCache
from engagement.config import Settings
from engagement.service_layer.unit_of_work import EngagementUnitOfWork
from linkwell_runtime import db, service
from linkwell_runtime.clock import Clock, system_clock


@dataclass
class EngagementServices(service.Services):
    settings: Settings
    cases: CaseCache | None = None  # folded cases kept between commands (an API process's)

    def unit_of_work(self, cur: Any, cause: Envelope | None = None) -> EngagementUnitOfWork:
        return EngagementUnitOfWork(cur, self.settings, self.clock(), **service.caused_by(cause), cases=self.cases)


def prepare_database(dsn: str, owner_dsn: str = "") -> None:
    """Bring the database to the newest revision (the runtime's migrations, then the service's), as
    the schema owner when `owner_dsn` is given (linkwell_runtime.service.prepare_database)."""
    service.prepare_database(dsn, "engagement.adapters.sql", owner_dsn=owner_dsn)


def _seal_clear_texts(settings: Settings) -> None:
    """Case texts kept in clear before revision engagement-0005 are sealed before anything answers."""
    conn = db.connect(settings.database_url)
    try:
        with db.transaction(conn) as cur:
            case_texts.seal_clear_texts(cur, settings.key_encryption_keys)
    finally:
        conn.close()


def bootstrap(settings: Settings | None = None, clock: Clock | None = None) -> EngagementServices:
    settings = settings or Settings()
    prepare_database(settings.database_url, settings.database_owner_url)
    _seal_clear_texts(settings)
    return EngagementServices(
        settings, db.Pool(settings.database_url), clock or system_clock, cases=CaseCache(settings.case_cache_size)
    )
