"""Fixtures: the directory app on a real, fresh PostgreSQL database; tokens; ORUK 3.0 validators."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from directory.config import Settings
from directory.entrypoints.api import create_app
from linkwell_runtime import migrations
from linkwell_runtime.auth import Principal, Role, mint_for
from linkwell_runtime.testing import admin

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
        validator = Draft202012Validator(
            {"$ref": ORUK_BASE + schema_file}, registry=self.registry, format_checker=FormatChecker()
        )
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
        assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])

    def validate_page(self, page: dict, item_schema_file: str) -> None:
        validator = Draft202012Validator(self.openapi["components"]["schemas"]["Page"], format_checker=FormatChecker())
        errors = list(validator.iter_errors(page))
        assert not errors, [e.message for e in errors]
        assert set(page) >= {
            "total_items",
            "total_pages",
            "page_number",
            "size",
            "first_page",
            "last_page",
            "empty",
            "contents",
        }
        for item in page["contents"]:
            self.validate(item, item_schema_file)


@pytest.fixture
def database_url(database_factory) -> str:
    """A fresh database at directory's newest revision (a copy of one migrated once per run)."""
    return database_factory(migrated=migrations.sources("directory.adapters.sql"))


@pytest.fixture(scope="session")
def oruk() -> Oruk:
    return Oruk()


def settings_for(database_url: str, topic: str = "linkwell.directory.test", **more) -> Settings:
    return Settings(database_url=database_url, environment="test", directory_topic=topic, **more)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return settings_for(database_url)


@pytest.fixture
def client(settings: Settings):
    """The app on a fresh empty database (reference data only: postcodes, taxonomy)."""
    with TestClient(create_app(settings)) as c:
        yield c


@pytest.fixture(scope="module")
def seeded_client(postgres_url: str):
    """One database per test module with the 66 demo services: the read tests only read."""
    name = f"t_dir_{uuid.uuid4().hex[:12]}"
    admin(postgres_url, f'CREATE DATABASE "{name}"')
    parts = urlsplit(postgres_url)
    url = urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))
    with TestClient(create_app(settings_for(url, seed_demo_data=True))) as c:
        yield c
    admin(postgres_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def bearer(settings: Settings):
    """bearer(role, **scope) -> an Authorization header with a freshly minted token."""

    def make(role: Role = Role.OPERATOR, **scope) -> dict[str, str]:
        principal = Principal(sub=f"{role}-{uuid.uuid4().hex[:6]}", role=role, **scope)
        return {"Authorization": f"Bearer {mint_for(principal, settings, 'directory')}"}

    return make
