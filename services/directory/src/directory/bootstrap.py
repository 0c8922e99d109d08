"""Composition root: the database (schema and reference data), the pool and the clock, wired once
from Settings; the demo directory published when `seed_demo_data` says so."""

from __future__ import annotations

from directory.config import Settings
from directory.service_layer.seeding import seed_demo_services, seed_reference_data
from directory.service_layer.unit_of_work import DirectoryServices
from linkwell_runtime import db
from linkwell_runtime.clock import Clock, system_clock
from linkwell_runtime.service import prepare_database


def bootstrap(settings: Settings | None = None, clock: Clock | None = None) -> DirectoryServices:
    settings = settings or Settings()
    prepare_database(
        settings.database_url, "directory.adapters.sql", then=seed_reference_data, owner_dsn=settings.database_owner_url
    )
    services = DirectoryServices(settings, db.Pool(settings.database_url), clock or system_clock)
    if settings.seed_demo_data:
        seed_demo_services(services)
    return services
