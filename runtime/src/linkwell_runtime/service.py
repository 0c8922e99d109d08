"""The skeleton every service shares: its composition root's shape (`Services`), the database it
prepares, its FastAPI app and its consumer, built the same way in each.

A service writes `bootstrap(settings, clock) -> its Services` once (prepare the database, build the
pool and whatever its handlers need); its `api.py` hands that and its routers to `create_service_app`,
and its consumer starts through the same bootstrap with `run_consumer`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Collection, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypedDict, TypeVar
from uuid import UUID
from zoneinfo import ZoneInfo

import psycopg2.extensions
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute

from contracts import Envelope
from contracts.events import EventPayload
from contracts.topics import dlq
from linkwell_runtime import db, migrations, positions
from linkwell_runtime.api_docs import serve_api_docs
from linkwell_runtime.auth import audience
from linkwell_runtime.clock import Clock, system_clock
from linkwell_runtime.consumer import Decoded, Handler, Message
from linkwell_runtime.health import service_health_router
from linkwell_runtime.http_refusals import Refusal, install_problem_handlers
from linkwell_runtime.input_guards import LimitRequestBodies
from linkwell_runtime.logs import configure_logging, service_of
from linkwell_runtime.observability import METRICS_PATH, HttpMetrics, RequestObservingMiddleware
from linkwell_runtime.problems import responses
from linkwell_runtime.request_context import current_correlation_id
from linkwell_runtime.settings import PlatformSettings
from linkwell_runtime.topics import TopicMisconfigured, check_retention
from linkwell_runtime.unit_of_work import UnitOfWork
from linkwell_runtime.worker import build_app, run_worker

log = logging.getLogger(__name__)


@dataclass
class Services:
    """What a service's handlers share across requests: settings, the connection pool, the clock.
    A service subclasses it (its caches, rulebooks) and overrides `unit_of_work` to build its own."""

    settings: PlatformSettings
    pool: db.Pool
    clock: Clock = system_clock

    def unit_of_work(self, cur: psycopg2.extensions.cursor, cause: Envelope | None = None) -> UnitOfWork:
        """The unit of work for one transaction; `cause`: the consumed event that caused it."""
        return UnitOfWork(cur, self.settings, self.clock(), **caused_by(cause))

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return self.clock().astimezone(ZoneInfo(self.settings.timezone)).date()

    def close(self) -> None:
        self.pool.close()


class CausedBy(TypedDict, total=False):
    """What `caused_by` hands on: keyword arguments of a `UnitOfWork` (none when nothing caused it)."""

    occurred_at: datetime
    correlation_id: UUID | None
    causation_id: UUID


def caused_by(cause: Envelope | None) -> CausedBy:
    """The business time and causal chain a consumed event hands to the events it causes; with no
    cause, the request being handled (its `X-Request-ID`) is the correlation id, when there is one."""
    if cause is None:
        request = current_correlation_id()
        return {} if request is None else {"correlation_id": request}
    return {"occurred_at": cause.occurred_at, "correlation_id": cause.correlation_id, "causation_id": cause.event_id}


def prepare_database(
    dsn: str,
    schema_package: str | None,
    *,
    then: Callable[[psycopg2.extensions.cursor], None] | None = None,
    owner_dsn: str = "",
) -> None:
    """Bring the database to the newest revision: the runtime's migrations, then the service's
    (`<schema_package>/migrations/*.sql`; None: the runtime's only), under the migration lock
    (`linkwell_runtime.migrations`), as the schema owner `owner_dsn` when given; without it, a role
    that may not change the schema refuses to start on a database that is behind (`SchemaBehind`).
    Then `then(cur)` in its own transaction on `dsn` (reference data a service needs before it answers)."""
    packages = migrations.sources(schema_package)
    if owner_dsn:
        migrations.migrate(owner_dsn, packages)
    else:
        try:
            migrations.ensure_current(dsn, packages)
        except migrations.SchemaBehind as exc:
            log.critical("%s", exc)
            raise
    if then is None:
        return
    conn = db.connect(dsn)
    try:
        with db.transaction(conn) as cur:
            then(cur)
    finally:
        conn.close()


def create_service_app(
    *,
    title: str,
    version: str,
    description: str,
    settings: PlatformSettings,
    bootstrap: Callable[[], Services],
    routers: Sequence[APIRouter],
    refusals: Mapping[type[Exception], Refusal] | None = None,
    openapi_tags: list[dict[str, Any]] | None = None,
) -> FastAPI:
    """A service's HTTP app: `bootstrap()` runs at start-up (its `Services` on `app.state.services`,
    closed at shutdown), the health probes, the service's routers, one problem-details answer for
    every refusal (the runtime's and the service's own `refusals`), JSON logs, request ids and
    `/metrics` (`observability`)."""
    configure_logging(service_name(title), "api")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.services = bootstrap()
        try:
            yield
        finally:
            app.state.services.close()

    app = FastAPI(
        title=title,
        version=version,
        description=description,
        lifespan=lifespan,
        openapi_tags=openapi_tags,
        docs_url=None,
        redoc_url=None,
    )
    serve_api_docs(app)
    app.state.settings = settings
    app.state.jwt_audience = settings.jwt_audience or audience(service_name(title))  # tokens for another API: 401
    app.include_router(service_health_router(settings))
    for router in routers:
        app.include_router(router)
        _document_common_refusals(router)
    install_problem_handlers(app, refusals)
    metrics = HttpMetrics()
    app.state.metrics = metrics
    app.add_route(METRICS_PATH, metrics.endpoint, include_in_schema=False)
    app.add_middleware(LimitRequestBodies, routes=app.router.routes)  # before the body is read or the token checked
    app.add_middleware(RequestObservingMiddleware, metrics=metrics)
    return app


def service_name(title: str) -> str:
    """The `service` of an API's log lines, from its title: "Linkwell referral service" → "referral"."""
    words = title.removeprefix("Linkwell ").split()
    return words[0].lower() if words else "linkwell"


def _document_common_refusals(router: APIRouter) -> None:
    """What any service route may answer besides its own refusals, as problem details: 422 where it
    takes input (FastAPI would otherwise document its own validation body, not ours), 503 when its
    database does not answer."""
    for route in router.routes:
        if not isinstance(route, APIRoute):
            continue
        takes = route.dependant
        if takes.path_params or takes.query_params or takes.header_params or takes.body_params or route.body_field:
            route.responses.setdefault(422, responses(422)[422])
        route.responses.setdefault(503, responses(503)[503])


# A service's own unit of work type: its `Services.unit_of_work` builds it, its handlers take it.
U = TypeVar("U", bound=UnitOfWork)


def run_consumer(
    services: Services,
    name: str,
    topics: Sequence[str],
    *,
    handler: Callable[[U, Envelope, EventPayload | None], None] | None = None,
    batch_handler: Callable[[U, Sequence[Decoded]], None] | None = None,
    applies_to: Collection[str] | None = None,
    record_handler: Callable[[U, Sequence[Message]], None] | None = None,
    record_topics: Collection[str] = (),
) -> None:
    """Run a service's consumer in the foreground: each event (`handler`) or each batch of new events
    (`batch_handler`) is handed to the service layer with a unit of work on the consumer's transaction;
    so are the records of `record_topics` (compacted topics, among `topics`) to `record_handler`."""
    # The log of record must not expire under a consumer that rebuilds from it, and the retry requests
    # it acts on (linkwell_runtime.retry) must be there: a deployment without them cannot redrive.
    checked = [t for topic in topics for t in (topic, dlq(topic))] + [services.settings.retry_topic]
    try:
        check_retention(services.settings.kafka_bootstrap_servers, checked)
    except TopicMisconfigured as exc:
        raise SystemExit(f"{name}: refusing to start: {exc}") from None
    positions.seed_from_group(services.settings.database_url, name, services.settings.kafka_bootstrap_servers, topics)
    app = build_app(
        name,
        topics,
        event_handler(services, handler) if handler else None,
        services.settings,
        batch_handler=batch_of(services, batch_handler) if batch_handler else None,
        applies_to=applies_to,
        record_handler=batch_of(services, record_handler) if record_handler else None,
        record_topics=record_topics,
    )
    run_worker(app, service=service_of(services.settings.database_url))


def event_handler(services: Services, handle: Callable[[U, Envelope, EventPayload | None], None]) -> Handler:
    """The consumer's per-event handler: a unit of work caused by the event, then the service layer."""
    return lambda cur, envelope, payload: handle(_own(services.unit_of_work(cur, cause=envelope)), envelope, payload)


T = TypeVar("T")


def batch_of(
    services: Services, handle: Callable[[U, Sequence[T]], None]
) -> Callable[[psycopg2.extensions.cursor, Sequence[T]], None]:
    """The consumer's batch (or records) handler: one unit of work for the batch's transaction, then
    the service layer."""
    return lambda cur, items: handle(_own(services.unit_of_work(cur)), items)


def _own(uow: UnitOfWork) -> Any:
    """The service's unit of work as its handlers type it (its Services built that very type)."""
    return uow
