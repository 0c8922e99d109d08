"""The engagement HTTP API: `create_app(settings)`; uvicorn entry `app_from_env`."""
from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI

from engagement.bootstrap import bootstrap
from engagement.config import Settings
from engagement.entrypoints import errors
from engagement.entrypoints.case_routes import router as case_router
from engagement.service_layer.unit_of_work import Clock
from linkwell_runtime.health import service_health_router


def create_app(settings: Settings, clock: Clock | None = None) -> FastAPI:
    """`clock` fixes "now" and "today" (tests); the system clock by default."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.services = bootstrap(settings, clock)
        try:
            yield
        finally:
            app.state.services.pool.close()

    app = FastAPI(title="Linkwell engagement", version="0.1.0", lifespan=lifespan,
                  description="The link worker's case: contacts, goals, Well-being Stars, linkages, discharge.")
    app.state.settings = settings
    app.include_router(service_health_router(settings))
    app.include_router(case_router)
    errors.install(app)
    return app


def app_from_env() -> FastAPI:
    return create_app(Settings())
