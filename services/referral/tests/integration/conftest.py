"""Fixtures: FastAPI's TestClient against a real, fresh PostgreSQL database per test."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent))

from referral_testkit import PRACTICE

from contracts.roles import Role
from linkwell_runtime import migrations
from linkwell_runtime.auth import Principal, mint_for
from referral.config import Settings
from referral.entrypoints.api import create_app


@pytest.fixture
def database_url(database_factory) -> str:
    """A fresh database at referral's newest revision (a copy of one migrated once per run)."""
    return database_factory(migrated=migrations.sources("referral.adapters.sql"))


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, environment="test", referral_topic="linkwell.referral.test-unused")


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def token(settings: Settings):
    def mint(role: str = "referrer", **scope) -> dict[str, str]:
        if role == "referrer":
            scope.setdefault("practice", PRACTICE)
        principal = Principal(sub=scope.pop("sub", f"{role}-1"), role=Role(role), **scope)
        return {"Authorization": f"Bearer {mint_for(principal, settings, 'referral')}"}

    return mint
