"""The service skeleton on a real database: a tiny service built the way every Linkwell service is
(bootstrap → Services → create_service_app), its unit of work on a fixed clock, its writes through
the event repository, and idempotent writes bound to the caller, the route, the body and access."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any

import pytest
from fastapi import APIRouter, Depends, Request
from fastapi.testclient import TestClient
from pydantic import BaseModel

from contracts.directory import OrganizationPublished, OrganizationUpdated
from linkwell_runtime import db, web
from linkwell_runtime.auth import Principal, PrincipalDep, audience, mint_token
from linkwell_runtime.refusals import Forbidden
from linkwell_runtime.repository import retrying_on_conflict
from linkwell_runtime.service import Services, create_service_app, prepare_database
from linkwell_runtime.settings import DEVELOPMENT_JWT_SECRET, PlatformSettings
from linkwell_runtime.testing import query
from linkwell_runtime.unit_of_work import UnitOfWork

NOW = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)  # already 1 April in London


class OrgUnitOfWork(UnitOfWork):
    producer = "skeleton-test"

    @property
    def topic(self) -> str | None:
        return "skeleton.test"


@dataclass
class OrgServices(Services):
    revoked: set[str] = field(default_factory=set)  # callers who lost access since their first write

    def unit_of_work(self, cur: Any, cause: Any = None) -> OrgUnitOfWork:
        return OrgUnitOfWork(cur, self.settings, self.clock())


class NameIn(BaseModel):
    name: str


Uow = Annotated[OrgUnitOfWork, Depends(web.unit_of_work)]


def rename(uow: OrgUnitOfWork, org_id: uuid.UUID, name: str) -> int:
    """Load, decide, append; a lost race is retried once."""

    def attempt() -> int:
        version = uow.events.version_of(org_id)
        event = (OrganizationUpdated if version else OrganizationPublished)(organization_id=org_id, name=name)
        uow.events.append(org_id, version, [event], uow.stamp())
        return version + 1

    return retrying_on_conflict(attempt)


def build_router() -> APIRouter:
    router = APIRouter()

    @router.put("/organizations/{org_id}/name")
    def put_name(
        org_id: uuid.UUID, body: NameIn, request: Request, uow: Uow, who: PrincipalDep, key: web.IdempotencyKey = None
    ) -> Any:
        def access() -> None:
            if who.sub in request.app.state.services.revoked:
                raise Forbidden("no longer allowed")

        return web.idempotent_write(
            uow,
            request,
            who,
            key,
            body.model_dump(),
            lambda: (200, {"version": rename(uow, org_id, body.name), "today": uow.today}),
            access=access,
        )

    @router.put("/other/{org_id}/name")
    def put_other(
        org_id: uuid.UUID, body: NameIn, request: Request, uow: Uow, who: PrincipalDep, key: web.IdempotencyKey = None
    ) -> Any:
        return web.idempotent_write(
            uow, request, who, key, body.model_dump(), lambda: (200, {"other": True}), access=None
        )

    return router


@pytest.fixture
def client(database_url: str, kafka_bootstrap: str):
    settings = PlatformSettings(database_url=database_url, kafka_bootstrap_servers=kafka_bootstrap, environment="test")

    def bootstrap() -> OrgServices:
        prepare_database(database_url, None)  # the runtime's tables are all this service needs
        return OrgServices(settings, db.Pool(database_url), clock=lambda: NOW)

    app = create_service_app(
        title="skeleton",
        version="1.0.0",
        description="test",
        settings=settings,
        bootstrap=bootstrap,
        routers=[build_router()],
    )
    with TestClient(app) as test_client:
        yield test_client


def auth(sub: str = "worker-1") -> dict[str, str]:
    token = mint_token(Principal(sub=sub, role="operator"), DEVELOPMENT_JWT_SECRET, audience=audience("skeleton"))
    return {"Authorization": f"Bearer {token}"}


def test_events_are_stamped_by_the_services_clock_and_today_is_the_london_date(client, database_url):
    org = uuid.uuid4()
    answer = client.put(f"/organizations/{org}/name", json={"name": "Elders"}, headers=auth())
    assert answer.json() == {"version": 1, "today": "2026-04-01"}
    assert query(
        database_url,
        "SELECT envelope->>'producer', recorded_at, occurred_at, topic FROM events JOIN outbox"
        " USING (event_id) WHERE aggregate_id = %s",
        (str(org),),
    ) == [("skeleton-test", NOW, NOW, "skeleton.test")]


def test_the_same_key_and_body_replays_the_first_answer_and_writes_once(client, database_url):
    org, headers = uuid.uuid4(), auth() | {"Idempotency-Key": "k-1"}
    first = client.put(f"/organizations/{org}/name", json={"name": "Elders"}, headers=headers)
    again = client.put(f"/organizations/{org}/name", json={"name": "Elders"}, headers=headers)
    assert first.json() == again.json() == {"version": 1, "today": "2026-04-01"}
    assert query(database_url, "SELECT count(*) FROM events WHERE aggregate_id = %s", (str(org),)) == [(1,)]


def test_a_key_is_bound_to_its_body_its_route_and_its_caller(client):
    org, headers = uuid.uuid4(), auth() | {"Idempotency-Key": "k-2"}
    assert client.put(f"/organizations/{org}/name", json={"name": "A"}, headers=headers).status_code == 200
    other_body = client.put(f"/organizations/{org}/name", json={"name": "B"}, headers=headers)
    other_route = client.put(f"/other/{org}/name", json={"name": "A"}, headers=headers)
    assert other_body.status_code == other_route.status_code == 422
    assert other_body.json()["errors"][0]["loc"] == ["header", "Idempotency-Key"]
    other_caller = client.put(
        f"/organizations/{org}/name", json={"name": "A"}, headers=auth("worker-2") | {"Idempotency-Key": "k-2"}
    )
    assert other_caller.json() == {"version": 2, "today": "2026-04-01"}  # a new write, not the first's answer


def test_a_stored_answer_is_not_replayed_to_a_caller_who_lost_access(client):
    org, headers = uuid.uuid4(), auth("worker-3") | {"Idempotency-Key": "k-3"}
    assert client.put(f"/organizations/{org}/name", json={"name": "A"}, headers=headers).status_code == 200
    client.app.state.services.revoked.add("worker-3")
    replay = client.put(f"/organizations/{org}/name", json={"name": "A"}, headers=headers)
    assert replay.status_code == 403 and replay.headers["content-type"] == "application/problem+json"
    assert replay.json()["detail"] == "no longer allowed"


def test_health_and_readiness_come_with_every_service(client):
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/ready").json()["checks"] == {"database": "ok", "kafka": "ok"}
