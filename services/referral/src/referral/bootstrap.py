"""Composition root: the real database pool and schema, reference data seeded on first start."""
from __future__ import annotations

from dataclasses import dataclass

from linkwell_runtime import db
from referral.adapters.event_log import EventLog
from referral.adapters.reference_seed import seed_reference_data
from referral.config import Settings


@dataclass
class Services:
    settings: Settings
    pool: db.Pool


def prepare_database(settings: Settings, *, seed: bool | None = None) -> None:
    """Apply the runtime's and the service's idempotent schema; seed reference data if asked."""
    conn = db.connect(settings.database_url)
    try:
        db.apply_sql(conn, "eventstore", "consumer", "idempotency")
        db.apply_sql(conn, "schema", package="referral.adapters.sql")
        if settings.seed_reference_data if seed is None else seed:
            with db.transaction(conn) as cur:
                seed_reference_data(EventLog(cur, settings.referral_topic))
    finally:
        conn.close()


def bootstrap(settings: Settings | None = None) -> Services:
    settings = settings or Settings()
    prepare_database(settings)
    return Services(settings=settings, pool=db.Pool(settings.database_url))
