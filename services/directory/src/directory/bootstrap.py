"""Composition root: the database pool and schema, wired from Settings."""
from __future__ import annotations

from datetime import UTC, datetime

from linkwell_runtime import db

from directory.config import Settings
from directory.service_layer.handlers import Context
from directory.service_layer.seeding import seed_demo_services, seed_reference_data


def prepare_database(dsn: str) -> None:
    """Apply the runtime's and the directory's schema (idempotent) and the reference data."""
    conn = db.connect(dsn)
    try:
        db.apply_sql(conn, "eventstore", "consumer", "idempotency")
        db.apply_sql(conn, "schema", package="directory.adapters.sql")
        with db.transaction(conn) as cur:
            seed_reference_data(cur)
    finally:
        conn.close()


def bootstrap(settings: Settings) -> db.Pool:
    prepare_database(settings.database_url)
    pool = db.Pool(settings.database_url)
    if settings.seed_demo_data:
        with pool.transaction() as cur:
            seed_demo_services(cur, Context(topic=settings.directory_topic, now=datetime.now(UTC)))
    return pool
