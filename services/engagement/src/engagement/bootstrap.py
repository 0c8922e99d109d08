"""Composition root: the settings, the database (schema and pool), the clock and the folded-case cache,
wired once for the API and the consumer alike."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

from contracts import Envelope
from engagement.adapters.case_cache import CaseCache
from engagement.config import Settings
from engagement.service_layer.unit_of_work import EngagementUnitOfWork
from linkwell_runtime import db, service
from linkwell_runtime.audit import MIGRATION_LOCK, apply_pending_security
from linkwell_runtime.clock import Clock, system_clock


@dataclass
class EngagementServices(service.Services):
    settings: Settings
    cases: CaseCache | None = None  # folded cases kept between commands (an API process's)

    def unit_of_work(self, cur: Any, cause: Envelope | None = None) -> EngagementUnitOfWork:
        return EngagementUnitOfWork(cur, self.settings, self.clock(), **service.caused_by(cause), cases=self.cases)


def prepare_database(dsn: str) -> None:
    """Apply the runtime's and the service's idempotent schema."""
    service.prepare_database(dsn, "engagement.adapters.sql", then=_pending_casework)  # issue 18, until a migration
    apply_pending_security(dsn, "engagement.adapters.sql")  # docs/security.md: until it is a migration


def _pending_casework(cur: Any) -> None:
    """`adapters/sql/pending-casework.sql` (idempotent), under the migrations' lock like pending-security."""
    cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (MIGRATION_LOCK,))
    cur.execute(resources.files("engagement.adapters.sql").joinpath("pending-casework.sql").read_text())


def bootstrap(settings: Settings | None = None, clock: Clock | None = None) -> EngagementServices:
    settings = settings or Settings()
    prepare_database(settings.database_url)
    return EngagementServices(
        settings, db.Pool(settings.database_url), clock or system_clock, cases=CaseCache(settings.case_cache_size)
    )
