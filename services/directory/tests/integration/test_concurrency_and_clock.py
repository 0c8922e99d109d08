"""A write that loses a race to a concurrent writer is decided again on what won (the retry lives in
the service layer, in the same transaction); one that keeps losing is a ConcurrencyConflict (409).
"Now" comes from the clock the app is built with: events and read model are stamped with it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from contracts.directory import ServiceStatus
from directory.bootstrap import bootstrap
from directory.entrypoints.api import create_app
from directory.service_layer import handlers
from linkwell_runtime.auth import Role
from linkwell_runtime.eventstore import ConcurrencyConflict
from linkwell_runtime.testing import query

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def publish(client: TestClient, headers: dict[str, str]) -> str:
    org = str(uuid.uuid4())
    assert (
        client.post("/organizations", json={"id": org, "name": "Org", "description": "d"}, headers=headers).status_code
        == 201
    )
    return client.post("/services", json={"organization_id": org, "name": "Walk"}, headers=headers).json()["id"]


def change_status_racing(settings, service_id: str, rival, races: int) -> None:
    """Change the status while `rival()` commits another change just before each of the first `races` appends."""
    services = bootstrap(settings)
    try:
        with services.pool.transaction() as cur:
            uow = services.unit_of_work(cur)
            append, raced = uow.events.append, []

            def append_after_a_rival(*args, **kwargs):
                if len(raced) < races:
                    raced.append(rival())
                return append(*args, **kwargs)

            uow.events.append = append_after_a_rival
            handlers.change_service_status(uow, UUID(service_id), ServiceStatus.TEMPORARILY_CLOSED)
    finally:
        services.close()


def status_changes(settings) -> list[tuple[str, str]]:
    return [
        (e["payload"]["from_status"], e["payload"]["to_status"])
        for (e,) in query(
            settings.database_url,
            "SELECT envelope FROM events WHERE event_type = 'ServiceStatusChanged' ORDER BY aggregate_version",
        )
    ]


def test_a_write_that_lost_a_race_is_decided_again_on_the_winners_state(client, settings, bearer):
    operator = bearer(Role.OPERATOR)
    sid = publish(client, operator)

    def rival():
        assert client.post(f"/services/{sid}/status", json={"status": "inactive"}, headers=operator).status_code == 200

    change_status_racing(settings, sid, rival, races=1)
    assert status_changes(settings) == [("active", "inactive"), ("inactive", "temporarily closed")]
    assert client.get(f"/services/{sid}").json()["status"] == "temporarily closed"


def test_a_write_that_keeps_losing_is_a_concurrency_conflict(client, settings, bearer):
    operator = bearer(Role.OPERATOR)
    sid = publish(client, operator)
    statuses = iter(["inactive", "active"])

    def rival():
        assert (
            client.post(f"/services/{sid}/status", json={"status": next(statuses)}, headers=operator).status_code == 200
        )

    with pytest.raises(ConcurrencyConflict):
        change_status_racing(settings, sid, rival, races=2)
    assert status_changes(settings) == [("active", "inactive"), ("inactive", "active")]


def test_events_and_the_read_model_are_stamped_with_the_apps_clock(settings, bearer):
    with TestClient(create_app(settings, clock=lambda: NOW)) as client:
        sid = publish(client, bearer(Role.OPERATOR))
        assert datetime.fromisoformat(client.get(f"/services/{sid}").json()["last_modified"]) == NOW
    stamps = query(settings.database_url, "SELECT occurred_at, recorded_at FROM events")
    assert stamps == [(NOW, NOW), (NOW, NOW)]
