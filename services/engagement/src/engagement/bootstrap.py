"""Composition root: the database pool and schema, the settings and the clock, wired once."""
from __future__ import annotations

from dataclasses import dataclass

from engagement.adapters.case_cache import CaseCache
from engagement.config import Settings
from engagement.service_layer.unit_of_work import Clock, system_clock
from linkwell_runtime import db


@dataclass
class Services:
    settings: Settings
    pool: db.Pool
    clock: Clock
    cases: CaseCache


def prepare_database(dsn: str) -> None:
    """Apply the runtime's and the service's idempotent schema."""
    conn = db.connect(dsn)
    try:
        db.apply_sql(conn, "eventstore", "consumer", "idempotency")
        db.apply_sql(conn, "schema", package="engagement.adapters.sql")
    finally:
        conn.close()


def bootstrap(settings: Settings | None = None, clock: Clock | None = None) -> Services:
    settings = settings or Settings()
    prepare_database(settings.database_url)
    return Services(settings=settings, pool=db.Pool(settings.database_url), clock=clock or system_clock,
                    cases=CaseCache(settings.case_cache_size))
