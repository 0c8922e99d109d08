"""The reporting HTTP API: `create_app(settings, clock)`; uvicorn entry `app_from_env`."""
from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI

from linkwell_runtime.health import service_health_router
from reporting.bootstrap import Clock, bootstrap
from reporting.config import Settings
from reporting.entrypoints import errors
from reporting.entrypoints.routes import router


def create_app(settings: Settings, clock: Clock | None = None) -> FastAPI:
    """`clock` fixes "now" and "today" (tests); the system clock by default."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.services = bootstrap(settings, clock)
        try:
            yield
        finally:
            app.state.services.pool.close()

    app = FastAPI(title="Linkwell reporting", version="0.1.0", lifespan=lifespan,
                  description="Payable outcomes for effective date D as known at T, claims, commissioner data, dashboards.")
    app.state.settings = settings
    app.include_router(service_health_router(settings))
    app.include_router(router)
    errors.install(app)
    return app


def app_from_env() -> FastAPI:
    return create_app(Settings())
