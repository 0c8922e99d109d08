"""Fixtures: a fresh real PostgreSQL database per test, the API via TestClient with a fixed clock."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent))

from engagement_testkit import (
    PROVIDER,
    WORKER,
    FixedClock,
    consume,
    reference_envelopes,
    referral_envelopes,
)

from engagement.bootstrap import prepare_database
from engagement.config import Settings
from engagement.entrypoints.api import create_app
from linkwell_runtime import migrations
from linkwell_runtime.auth import Principal, Role, mint_for


@pytest.fixture
def database_url(database_factory) -> str:
    """A fresh database at engagement's newest revision (a copy of one migrated once per run)."""
    return database_factory(migrated=migrations.sources("engagement.adapters.sql"))


@pytest.fixture
def settings(database_url: str) -> Settings:
    prepare_database(database_url)
    return Settings(database_url=database_url, environment="test", engagement_topic="linkwell.engagement.test-unused")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def client(settings: Settings, clock: FixedClock) -> Iterator[TestClient]:
    consume(settings, reference_envelopes())
    with TestClient(create_app(settings, clock)) as test_client:
        yield test_client


@pytest.fixture
def token(settings: Settings):
    def mint(role: str = "link_worker", **scope) -> dict[str, str]:
        if role in ("link_worker", "provider_manager"):
            scope.setdefault("provider_id", str(PROVIDER))
        if role == "link_worker":
            scope.setdefault("link_worker_id", str(WORKER))
        if role == "referrer":
            scope.setdefault("practice", "A86001")
        principal = Principal(sub=scope.pop("sub", f"{role}-1"), role=Role(role), **scope)
        return {"Authorization": f"Bearer {mint_for(principal, settings, 'engagement')}"}

    return mint


@pytest.fixture
def open_case(settings: Settings, client):
    """Open a case from referral events through the consumer's handler; returns the case id."""

    def open_(**kwargs) -> uuid.UUID:
        referral_id = uuid.uuid4()
        consume(settings, referral_envelopes(referral_id, **kwargs))
        return referral_id

    return open_
