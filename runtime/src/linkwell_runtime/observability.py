"""Every API's metrics and request ids, installed once by `create_service_app`.

- `GET /metrics` (Prometheus text format, not in the OpenAPI document):
  `linkwell_http_requests_total{method,route,status}` and
  `linkwell_http_request_duration_seconds{method,route,status}` (a histogram), where `route` is the
  route's template (`/referrals/{referral_id}`, never the raw path with its ids; `unmatched` for a
  path no route has) and `status` the answer's status code. `/metrics` itself is not counted.
- `X-Request-ID`: taken from the request when it is a UUID, otherwise a new one; set on the answer,
  on every log line written while the request is handled, and as the correlation id of the events
  the request's unit of work stamps (`service.caused_by`). One `request` log line per request with
  method, route template, status and duration.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from linkwell_runtime.request_context import REQUEST_ID_HEADER, request_id_from, reset_request_id, set_request_id

log = logging.getLogger("linkwell.http")

METRICS_PATH = "/metrics"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class HttpMetrics:
    """One app's request metrics, in a registry of its own (a test process builds many apps)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        labels = ("method", "route", "status")
        self.requests = Counter("linkwell_http_requests", "HTTP requests answered", labels, registry=self.registry)
        self.latency = Histogram(
            "linkwell_http_request_duration_seconds",
            "Time to answer an HTTP request",
            labels,
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route, str(status)).observe(seconds)

    def endpoint(self, _request: Request) -> Response:
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)


def route_template(scope: Scope) -> str:
    route: Any = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "unmatched"


class RequestObservingMiddleware:
    """Pure ASGI (the request id's context reaches the endpoint and its worker thread): request id in,
    request id out, one log line and the metrics for each request."""

    def __init__(self, app: ASGIApp, metrics: HttpMetrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((v for k, v in scope.get("headers", ()) if k == b"x-request-id"), None)
        request_id = request_id_from(given.decode("latin-1") if given is not None else None)
        token = set_request_id(request_id)
        started = time.perf_counter()
        status = 500  # what the server answers if the app raises before starting its answer

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = str(request_id)
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            if scope.get("path") != METRICS_PATH:
                route = route_template(scope)
                self.metrics.observe(scope.get("method", ""), route, status, seconds)
                log.info(
                    "request",
                    extra={
                        "method": scope.get("method"),
                        "route": route,
                        "status": status,
                        "duration_ms": round(seconds * 1000, 1),
                    },
                )
            reset_request_id(token)
