"""The directory's database across schema revisions (docs/architecture.md §3.10): a database at
revision 1 with the demo directory in it is migrated to revision 2 (the nested children's indexes) at
the next start, keeps every row, and the service answers over it; a database made before migrations
(schema applied at start, no version table) is adopted as revision 1 without running it again."""

from __future__ import annotations

from importlib import resources

import pytest
from fastapi.testclient import TestClient

from directory.adapters import demo_data
from directory.config import Settings
from directory.entrypoints.api import create_app
from directory.service_layer.seeding import seed_demo_services, seed_reference_data
from directory.service_layer.unit_of_work import DirectoryServices
from linkwell_runtime import db, migrations
from linkwell_runtime.testing import cursor, query

SOURCES = migrations.sources("directory.adapters.sql")
ORUK_TABLES = (
    "organization", "taxonomy", "taxonomy_term", "service", "attribute", "location", "address", "accessibility",
    "service_at_location", "contact", "phone", "schedule", "cost_option", "funding", "language", "service_area",
    "postcode_centroid",
)  # fmt: skip
RUNTIME_REVISIONS = [m.id for m in migrations.revisions([migrations.RUNTIME])]


@pytest.fixture
def database_url(database_factory) -> str:
    """An empty database: these tests take it through the revisions themselves."""
    return database_factory()


def settings_for(dsn: str) -> Settings:
    return Settings(database_url=dsn, environment="test", directory_topic="linkwell.directory.test")


REVISION_2_INDEXES = {"schedule_service", "contact_service", "service_at_location_service", "address_location"}


def load_demo_directory(dsn: str) -> None:
    """The demo directory written by the service's own use cases, without starting it (no migration)."""
    with cursor(dsn) as cur:
        seed_reference_data(cur)
    services = DirectoryServices(settings_for(dsn), db.Pool(dsn))
    try:
        assert seed_demo_services(services) == len(demo_data.services())
    finally:
        services.close()


def tables(dsn: str) -> dict[str, list[tuple]]:
    return {t: sorted(map(str, query(dsn, f"SELECT * FROM {t}"))) for t in ORUK_TABLES}  # type: ignore[misc]


def indexes(dsn: str) -> set[str]:
    return {row[0] for row in query(dsn, "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")}


def log(dsn: str) -> list[tuple[str, str]]:
    return query(dsn, "SELECT migration_id, operation FROM _yoyo_log ORDER BY created_at_utc, migration_id")


def answers_over(dsn: str, service_id: str) -> tuple[dict, dict]:
    with TestClient(create_app(settings_for(dsn))) as client:  # its start migrates the database
        page = client.get("/services", params={"day": "MO", "per_page": 200})
        one = client.get(f"/services/{service_id}")
        assert page.status_code == 200 and one.status_code == 200
        return page.json(), one.json()


def test_a_directory_at_revision_1_with_services_in_it_is_migrated_at_start_and_answers_over_its_rows(database_url):
    outcome = migrations.migrate(database_url, SOURCES, target="directory-0001-baseline")
    assert outcome.applied == RUNTIME_REVISIONS + ["directory-0001-baseline"]
    load_demo_directory(database_url)
    before = tables(database_url)
    assert not REVISION_2_INDEXES & indexes(database_url)
    assert [r.id for r in migrations.status(database_url, SOURCES) if r.pending] == [
        "directory-0002-index-nested-children"
    ]

    service = next(s for s in demo_data.services() if any(x.byday and "MO" in x.byday for x in s.schedules))
    page, one = answers_over(database_url, str(service.id))

    assert tables(database_url) == before
    assert indexes(database_url) >= REVISION_2_INDEXES
    assert log(database_url)[-1] == ("directory-0002-index-nested-children", "apply")
    assert all(not r.pending for r in migrations.status(database_url, SOURCES))
    schedules = len(query(database_url, "SELECT 1 FROM schedule WHERE service_id = %s", (service.id,)))
    assert one["name"] == service.name and len(one["schedules"]) == schedules > 0
    assert str(service.id) in {s["id"] for s in page["contents"]}


def test_a_directory_made_before_migrations_is_adopted_as_revision_1_without_running_it(database_url):
    with cursor(database_url) as cur:  # what the service's start did before versioned migrations
        for package, name in ((migrations.RUNTIME, "runtime"), ("directory.adapters.sql", "directory")):
            cur.execute(resources.files(package).joinpath(f"migrations/{name}-0001-baseline.sql").read_text())
    load_demo_directory(database_url)
    before = tables(database_url)
    service = demo_data.services()[0]

    _, one = answers_over(database_url, str(service.id))

    assert log(database_url) == [
        ("runtime-0001-baseline", "mark"),
        ("directory-0001-baseline", "mark"),
        *[(later, "apply") for later in RUNTIME_REVISIONS[1:]],
        ("directory-0002-index-nested-children", "apply"),
    ]
    assert tables(database_url) == before and one["id"] == str(service.id)
