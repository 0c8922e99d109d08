"""`directory.entrypoints.rebuild` (`linkwell rebuild directory`): what the directory's events carry
(service names, statuses, age ranges, modification times; organisation names) is put back on its ORUK
rows as the live writes left them; a service the store knows without a row is counted, not invented."""

from __future__ import annotations

from fastapi.testclient import TestClient

from directory.adapters import demo_data
from directory.entrypoints import rebuild
from directory.entrypoints.api import create_app
from linkwell_runtime.testing import query, scalar

TABLES = ("organization", "service", "schedule", "service_at_location")


def rows(dsn: str) -> dict[str, list[str]]:
    return {t: sorted(str(r) for r in query(dsn, f"SELECT * FROM {t}")) for t in TABLES}


def test_a_rebuild_puts_back_what_the_events_carry_and_counts_documents_it_cannot_make(settings, bearer):
    settings = settings.model_copy(update={"seed_demo_data": True})
    closing = demo_data.services()[0].id
    with TestClient(create_app(settings)) as client:
        answer = client.post(f"/services/{closing}/status", json={"status": "temporarily closed"}, headers=bearer())
        assert answer.status_code == 200, answer.text
    dsn = settings.database_url
    live = rows(dsn)
    assert len(live["service"]) == len(demo_data.services())

    query(dsn, "UPDATE service SET name = 'drifted', status = 'defunct', minimum_age = 1 RETURNING 1")
    query(dsn, "UPDATE organization SET name = 'drifted' RETURNING 1")
    assert rows(dsn) != live

    applied: list[int] = []
    total = rebuild.total_events(settings)
    result = rebuild.rebuild(settings, progress=applied.append)

    assert rows(dsn) == live
    assert sum(applied) == total == result["applied"] == scalar(dsn, "SELECT count(*) FROM events")
    assert result["missing_documents"] == 0

    query(dsn, "DELETE FROM service WHERE id = %s RETURNING 1", (closing,))  # its children go with it
    assert rebuild.rebuild(settings)["missing_documents"] == 1
