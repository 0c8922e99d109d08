"""`GET /health` (the process is alive) and `GET /ready` (its database and broker answer)."""

from __future__ import annotations

import socket
from collections.abc import Callable

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from linkwell_runtime import db
from linkwell_runtime.settings import PlatformSettings

Check = Callable[[], None]  # raises when the dependency is not reachable


class Liveness(BaseModel):
    status: str = "ok"


class Readiness(BaseModel):
    status: str  # "ready" | "not ready"
    checks: dict[str, str]  # dependency → "ok" | "unavailable: <reason>"


def health_router(checks: dict[str, Check]) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/health", summary="Liveness")
    def health() -> Liveness:
        """Liveness: the process answers."""
        return Liveness()

    @router.get(
        "/ready",
        summary="Readiness",
        response_model=Readiness,
        responses={503: {"model": Readiness, "description": "A dependency does not answer"}},
    )
    def ready() -> JSONResponse:
        """Readiness: every dependency answers; 503 with the failing ones otherwise."""
        results: dict[str, str] = {}
        for name, check in checks.items():
            try:
                check()
                results[name] = "ok"
            except Exception as exc:  # noqa: BLE001 - any failure means not ready
                results[name] = f"unavailable: {type(exc).__name__}"
        ok = all(v == "ok" for v in results.values())
        return JSONResponse({"status": "ready" if ok else "not ready", "checks": results}, 200 if ok else 503)

    return router


def database_check(dsn: str) -> Check:
    def check() -> None:
        conn = db.connect(dsn)
        try:
            with db.transaction(conn) as cur:
                cur.execute("SELECT 1")
        finally:
            conn.close()

    return check


def kafka_check(bootstrap_servers: str, timeout: float = 2.0) -> Check:
    """A TCP connect to the first reachable bootstrap server: cheap enough for a probe."""

    def check() -> None:
        errors = []
        for server in bootstrap_servers.split(","):
            host, _, port = server.rpartition(":")
            try:
                socket.create_connection((host, int(port)), timeout=timeout).close()
                return
            except OSError as exc:
                errors.append(exc)
        raise ConnectionError(errors)

    return check


def service_health_router(settings: PlatformSettings) -> APIRouter:
    """The probes every service has: its own database and the broker (from PlatformSettings)."""
    return health_router(
        {"database": database_check(settings.database_url), "kafka": kafka_check(settings.kafka_bootstrap_servers)}
    )
