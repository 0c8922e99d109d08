"""Metrics, request ids and JSON logs of every API (issue 17 items 5 and 6), on a tiny service built
with create_service_app on a real database: metrics scraped after known traffic show it, a log line
carries the id of the request that caused it, and the events the request wrote carry it as their
correlation id."""

from __future__ import annotations

import io
import json
import logging
import uuid
from dataclasses import dataclass
from typing import Annotated, Any

import pytest
from fastapi import APIRouter, Depends
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from contracts.directory import OrganizationPublished
from linkwell_runtime import db, web
from linkwell_runtime.logs import JsonFormatter
from linkwell_runtime.service import Services, caused_by, create_service_app, prepare_database
from linkwell_runtime.settings import PlatformSettings
from linkwell_runtime.testing import query
from linkwell_runtime.unit_of_work import UnitOfWork

log = logging.getLogger("observed.routes")


class ThingUnitOfWork(UnitOfWork):
    producer = "observed-test"

    @property
    def topic(self) -> str | None:
        return None  # stored only


@dataclass
class ThingServices(Services):
    def unit_of_work(self, cur: Any, cause: Any = None) -> ThingUnitOfWork:
        return ThingUnitOfWork(cur, self.settings, self.clock(), **caused_by(cause))  # as every service does


Uow = Annotated[ThingUnitOfWork, Depends(web.unit_of_work)]


def build_router() -> APIRouter:
    router = APIRouter()

    @router.put("/things/{thing_id}")
    def put_thing(thing_id: uuid.UUID, uow: Uow) -> dict[str, int]:
        uow.events.append(thing_id, 0, [OrganizationPublished(organization_id=thing_id, name="x")], uow.stamp())
        log.info("thing published", extra={"thing_id": str(thing_id)})
        return {"version": 1}

    return router


@pytest.fixture
def api(database_url: str, kafka_bootstrap: str):
    settings = PlatformSettings(database_url=database_url, kafka_bootstrap_servers=kafka_bootstrap, environment="test")

    def bootstrap() -> ThingServices:
        prepare_database(database_url, None)
        return ThingServices(settings, db.Pool(database_url))

    app = create_service_app(
        title="Linkwell observed service",
        version="1.0.0",
        description="test",
        settings=settings,
        bootstrap=bootstrap,
        routers=[build_router()],
    )
    lines = io.StringIO()
    handler = logging.StreamHandler(lines)
    handler.setFormatter(JsonFormatter("observed", "api"))
    logging.getLogger().addHandler(handler)
    try:
        with TestClient(app) as client:
            yield client, database_url, lines
    finally:
        logging.getLogger().removeHandler(handler)


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_metrics_scraped_after_known_traffic_show_it(api):
    client, _, _ = api
    for _ in range(3):
        assert client.put(f"/things/{uuid.uuid4()}").status_code == 200
    assert client.get("/health").status_code == 200
    assert client.get("/health").status_code == 200
    assert client.get("/no/such/path").status_code == 404
    assert client.put("/things/not-a-uuid").status_code == 422
    scraped = client.get("/metrics")
    assert scraped.status_code == 200 and scraped.headers["content-type"].startswith("text/plain")
    found = samples(scraped.text)

    def count(name: str, method: str, route: str, status: str) -> float:
        return found.get((name, (("method", method), ("route", route), ("status", status))), 0)

    total, hist = "linkwell_http_requests_total", "linkwell_http_request_duration_seconds_count"
    assert count(total, "PUT", "/things/{thing_id}", "200") == 3  # by route template, never the raw path
    assert count(hist, "PUT", "/things/{thing_id}", "200") == 3
    assert count(total, "PUT", "/things/{thing_id}", "422") == 1
    assert count(total, "GET", "/health", "200") == 2
    assert count(total, "GET", "unmatched", "404") == 1
    assert sum(v for (n, _), v in found.items() if n == total) == 7  # /metrics itself is not counted
    assert "/metrics" not in client.get("/openapi.json").json()["paths"]


def test_a_log_line_and_the_events_carry_the_request_id_of_the_request_that_caused_them(api):
    client, dsn, lines = api
    request_id, thing = uuid.uuid4(), uuid.uuid4()
    answer = client.put(f"/things/{thing}", headers={"X-Request-ID": str(request_id)})
    assert answer.status_code == 200 and answer.headers["X-Request-ID"] == str(request_id)
    logged = [json.loads(line) for line in lines.getvalue().splitlines()]
    mine = [line for line in logged if line.get("request_id") == str(request_id)]
    published = next(line for line in mine if line["message"] == "thing published")
    assert published["thing_id"] == str(thing) and published["level"] == "info"
    request = next(line for line in mine if line["message"] == "request")
    assert (request["route"], request["status"], request["method"]) == ("/things/{thing_id}", 200, "PUT")
    assert {"ts", "service", "process", "logger"} <= set(request)
    [(correlation,)] = query(
        dsn, "SELECT envelope->>'correlation_id' FROM events WHERE aggregate_id = %s", (str(thing),)
    )
    assert correlation == str(request_id)

    # free text is never taken as a request id: a new one is set instead
    other = client.put(f"/things/{uuid.uuid4()}", headers={"X-Request-ID": "Jane Smith 943 476 5919"})
    assert str(uuid.UUID(other.headers["X-Request-ID"])) == other.headers["X-Request-ID"]
    assert "Jane" not in lines.getvalue() and "943" not in lines.getvalue()
    # without a header every answer still has one, and no line is left without it
    plain = client.get("/health")
    assert uuid.UUID(plain.headers["X-Request-ID"])
