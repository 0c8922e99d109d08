"""Composition root: the referral service's `Services` (settings, pool, clock), its database prepared
(schema, then the reference data on first start); the API and the consumer both start here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import psycopg2.extensions

from contracts import Envelope
from linkwell_runtime import db, service
from linkwell_runtime.clock import Clock, system_clock
from linkwell_runtime.service import Services, caused_by
from referral.adapters.patient_keys import wrap_clear_keys
from referral.adapters.reference_seed import seed_reference_data
from referral.config import Settings
from referral.service_layer.patient_pseudonyms import publish_known_pseudonyms
from referral.service_layer.unit_of_work import ReferralUnitOfWork

SCHEMA = "referral.adapters.sql"


@dataclass
class ReferralServices(Services):
    settings: Settings

    def unit_of_work(self, cur: psycopg2.extensions.cursor, cause: Envelope | None = None) -> ReferralUnitOfWork:
        return ReferralUnitOfWork(cur, self.settings, self.clock(), **caused_by(cause))


def bootstrap(settings: Settings | None = None, clock: Clock | None = None) -> ReferralServices:
    settings = settings or Settings()
    clock = clock or system_clock
    prepare_database(settings, clock=clock)
    return ReferralServices(settings, db.Pool(settings.database_url), clock)


def prepare_database(settings: Settings, *, seed: bool | None = None, clock: Clock = system_clock) -> None:
    """The runtime's and the service's idempotent schema; then any patient key still in clear wrapped
    under the current KEK, the pseudonym of every known patient never published sent to its topic
    (patients from before it: once), and the reference data when `seed` (by default
    `SEED_REFERENCE_DATA`) says so."""
    seeding = settings.seed_reference_data if seed is None else seed
    seeder = _seeder(settings, clock) if seeding else None

    def then(cur: psycopg2.extensions.cursor) -> None:
        wrap_clear_keys(cur, settings.key_encryption_keys)  # keys stored before referral-0004 (docs/security.md)
        publish_known_pseudonyms(cur, settings.patient_pseudonyms_topic)  # patients from before referral-0009
        if seeder is not None:
            seeder(cur)

    service.prepare_database(settings.database_url, SCHEMA, then=then, owner_dsn=settings.database_owner_url)


def _seeder(settings: Settings, clock: Clock) -> Callable[[psycopg2.extensions.cursor], None]:
    def seed(cur: psycopg2.extensions.cursor) -> None:
        uow = ReferralUnitOfWork(cur, settings, clock())
        seed_reference_data(uow.events, uow.stamp())

    return seed
