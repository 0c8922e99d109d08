"""Fixtures: a fresh real PostgreSQL database per test, the API via TestClient with a fixed clock."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent))

from reporting_builders import PROVIDER_A
from reporting_testkit import FixedClock

from linkwell_runtime.auth import Principal, Role, mint_token
from reporting.bootstrap import prepare_database
from reporting.config import Settings
from reporting.entrypoints.api import create_app


@pytest.fixture
def settings(database_url: str) -> Settings:
    prepare_database(database_url)
    return Settings(
        database_url=database_url,
        environment="test",
        commissioner_topic="linkwell.commissioner.test",
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
        return {"Authorization": f"Bearer {mint_token(principal, settings.jwt_secret, issuer=settings.jwt_issuer)}"}

    return mint
