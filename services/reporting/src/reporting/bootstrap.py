"""Composition root: settings, database pool and schema, rulebooks and the clock, wired once."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from linkwell_runtime import db
from reporting.config import Settings
from reporting.domain import Rulebook, load_packaged_rulebooks
from reporting.service_layer.ledger import LedgerCache

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    settings: Settings
    pool: db.Pool
    clock: Clock
    rulebooks: tuple[Rulebook, ...]
    ledger_cache: LedgerCache = field(default_factory=LedgerCache)  # GET /outcomes/... answers, per inputs version

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return self.clock().astimezone(ZoneInfo(self.settings.timezone)).date()


def prepare_database(dsn: str) -> None:
    """Apply the runtime's and the service's idempotent schema."""
    conn = db.connect(dsn)
    try:
        db.apply_sql(conn, "eventstore", "consumer", "idempotency")
        db.apply_sql(conn, "schema", package="reporting.adapters.sql")
    finally:
        conn.close()


def bootstrap(settings: Settings | None = None, clock: Clock | None = None) -> Services:
    settings = settings or Settings()
    prepare_database(settings.database_url)
    return Services(settings, db.Pool(settings.database_url), clock or system_clock, load_packaged_rulebooks())
