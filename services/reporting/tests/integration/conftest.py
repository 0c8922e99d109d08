"""Fixtures: a fresh real PostgreSQL database per test, the API via TestClient with a fixed clock."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent))

from reporting_builders import PROVIDER_A
from reporting_testkit import FixedClock

from linkwell_runtime import migrations
from linkwell_runtime.auth import Principal, Role, mint_for
from reporting.bootstrap import prepare_database
from reporting.config import Settings
from reporting.entrypoints.api import create_app


@pytest.fixture
def database_url(database_factory) -> str:
    """A fresh database at reporting's newest revision (a copy of one migrated once per run)."""
    return database_factory(migrated=migrations.sources("reporting.adapters.sql"))


@pytest.fixture
def settings(database_url: str, kafka_bootstrap: str) -> Settings:
    """The real broker (closing a claim asks it how far the topics go) and topics of this test's own,
    so that nothing another test published makes reporting look behind."""
    prepare_database(database_url)
    own = uuid.uuid4().hex[:12]
    return Settings(
        database_url=database_url,
        environment="test",
        kafka_bootstrap_servers=kafka_bootstrap,
        referral_topic=f"linkwell.referral.test-{own}",
        engagement_topic=f"linkwell.engagement.test-{own}",
        commissioner_topic=f"linkwell.commissioner.test-{own}",
        patient_pseudonyms_topic=f"linkwell.referral.patient-pseudonyms.test-{own}",
        reporting_topic="linkwell.reporting.test",
    )


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def client(settings: Settings, clock: FixedClock) -> Iterator[TestClient]:
    with TestClient(create_app(settings, clock)) as test_client:
        yield test_client


@pytest.fixture
def token(settings: Settings):
    def mint(role: str = "finance", **scope) -> dict[str, str]:
        if role in ("link_worker", "provider_manager"):
            scope.setdefault("provider_id", str(PROVIDER_A))
        if role == "link_worker":
            scope.setdefault("link_worker_id", "00000000-0000-7000-8000-0000000000b1")
        if role == "referrer":
            scope.setdefault("practice", "A86001")
        principal = Principal(sub=scope.pop("sub", f"{role}-1"), role=Role(role), **scope)
        return {"Authorization": f"Bearer {mint_for(principal, settings, 'reporting')}"}

    return mint
