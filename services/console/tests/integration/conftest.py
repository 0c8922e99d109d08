"""The console over FastAPI's TestClient, against a real referral service (seeded reference data) and
a real reporting service (a seeded ledger), each on a fresh PostgreSQL database. Engagement and
directory are not started: the console does not call them yet, and a call would find them down."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from console_testkit import (
    NOW,
    FixedClock,
    MovableClock,
    Seeded,
    bearer,
    migrated,
    prepare_referral,
    referral_settings,
    reporting_settings,
    seed,
)
from fastapi.testclient import TestClient

from console.config import Settings
from console.entrypoints.app import create_app
from linkwell_runtime.settings import DEVELOPMENT_JWT_SECRET
from referral.entrypoints.api import create_app as create_referral
from reporting.entrypoints.api import create_app as create_reporting

DOWN = "http://127.0.0.1:9"  # nothing listens on the discard port


@pytest.fixture
def jwt_secret() -> str:
    """The secret the services check tokens with (and the console signs them with)."""
    return DEVELOPMENT_JWT_SECRET


@pytest.fixture
def apis(database_factory, jwt_secret, kafka_bootstrap) -> Iterator[dict[str, httpx.Client]]:
    referral_db, reporting_db = migrated(database_factory, "referral"), migrated(database_factory, "reporting")
    prepare_referral(referral_settings(referral_db))
    with (
        TestClient(create_referral(referral_settings(referral_db, jwt_secret=jwt_secret))) as referral,
        TestClient(
            create_reporting(
                reporting_settings(reporting_db, jwt_secret=jwt_secret, kafka_bootstrap_servers=kafka_bootstrap),
                FixedClock(NOW),
            )
        ) as reporting,
    ):
        yield {"referral": referral, "reporting": reporting}


@pytest.fixture
def seeded(apis, jwt_secret) -> Seeded:
    headers = bearer("operator", jwt_secret)
    providers = apis["referral"].get("/providers", headers=headers).json()
    workers = apis["referral"].get("/link-workers", headers=headers).json()
    reporting_db = apis["reporting"].app.state.settings.database_url
    referral_db = apis["referral"].app.state.settings.database_url
    return seed(referral_db, reporting_db, providers, workers)


@pytest.fixture
def console_db(database_factory) -> str:
    """The console's own database (its server-side sessions), fresh for each test."""
    return database_factory(migrated=["console.adapters.sql"])


@pytest.fixture
def console_settings(console_db) -> Settings:
    return Settings(environment="test", session_minutes=5, database_url=console_db)


@pytest.fixture
def clock() -> MovableClock:
    """The console's clock: a test moves it to expire sessions, never waits."""
    return MovableClock()


@pytest.fixture
def factory(apis):
    """The services as the console reaches them: the real ones started above, the rest down."""

    def make(service: str, base_url: str) -> httpx.Client:
        return apis.get(service) or httpx.Client(base_url=DOWN, timeout=2)

    return make


@pytest.fixture
def console(factory, console_settings, clock) -> Iterator[TestClient]:
    with TestClient(create_app(console_settings, factory, clock=clock)) as client:
        yield client
