"""Fixtures: the directory app on a real, fresh PostgreSQL database; tokens; ORUK 3.0 validators."""
from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator, FormatChecker
from linkwell_runtime import db
from linkwell_runtime.auth import Principal, Role, mint_token
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from directory.config import Settings
from directory.entrypoints.api import create_app
from directory.service_layer.handlers import Context
from directory.service_layer.seeding import seed_demo_services

ORUK_DIR = Path(__file__).parent / "data" / "oruk-3.0"
ORUK_BASE = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"


def _registry() -> Registry:
    resources = []
    for path in ORUK_DIR.rglob("*.json"):
        uri = ORUK_BASE + path.relative_to(ORUK_DIR).as_posix()
        resources.append((uri, Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT202012)))
    return Registry().with_resources(resources)


class Oruk:
    """Validates responses against the published ORUK 3.0 schemas (a copy in tests/data/oruk-3.0)."""

    registry = _registry()
    openapi = json.loads((ORUK_DIR / "openapi.json").read_text())

    def validate(self, document, schema_file: str) -> None:
        validator = Draft202012Validator({"$ref": ORUK_BASE + schema_file}, registry=self.registry,
                                         format_checker=FormatChecker())
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
        assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])

    def validate_page(self, page: dict, item_schema_file: str) -> None:
        validator = Draft202012Validator(self.openapi["components"]["schemas"]["Page"], format_checker=FormatChecker())
        errors = list(validator.iter_errors(page))
        assert not errors, [e.message for e in errors]
        assert set(page) >= {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty",
                             "contents"}
        for item in page["contents"]:
            self.validate(item, item_schema_file)


@pytest.fixture(scope="session")
def oruk() -> Oruk:
    return Oruk()


def settings_for(database_url: str, topic: str = "linkwell.directory.test") -> Settings:
    return Settings(database_url=database_url, environment="test", directory_topic=topic)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return settings_for(database_url)


@pytest.fixture
def client(settings: Settings):
    """The app on a fresh empty database (reference data only: postcodes, taxonomy)."""
    app = create_app(settings)
    with TestClient(app) as c:
        yield c
    app.state.pool.close()


def seed(database_url: str) -> None:
    conn = db.connect(database_url)
    try:
        with db.transaction(conn) as cur:
            seed_demo_services(cur, Context(topic="linkwell.directory.test", now=datetime.now(UTC)))
    finally:
        conn.close()


@pytest.fixture(scope="module")
def seeded_client(postgres_url: str):
    """One database per test module with the 66 demo services: the read tests only read."""
    name = f"t_dir_{uuid.uuid4().hex[:12]}"
    _admin(postgres_url, f'CREATE DATABASE "{name}"')
    parts = urlsplit(postgres_url)
    url = urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))
    app = create_app(settings_for(url))
    seed(url)
    with TestClient(app) as c:
        yield c
    app.state.pool.close()
    _admin(postgres_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _admin(url: str, statement: str) -> None:
    conn = psycopg2.connect(url)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(statement)
    finally:
        conn.close()


@pytest.fixture
def bearer(settings: Settings):
    """bearer(role, **scope) -> an Authorization header with a freshly minted token."""

    def make(role: Role = Role.OPERATOR, **scope) -> dict[str, str]:
        principal = Principal(sub=f"{role}-{uuid.uuid4().hex[:6]}", role=role, **scope)
        return {"Authorization": f"Bearer {mint_token(principal, settings.jwt_secret)}"}

    return make
