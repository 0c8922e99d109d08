"""The referral HTTP API: `create_app(settings)`; `app_from_env` for uvicorn --factory."""
from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI

from linkwell_runtime.health import service_health_router
from referral.bootstrap import bootstrap
from referral.config import Settings
from referral.entrypoints import errors, patient_routes, reference_routes, referral_routes


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    services = bootstrap(settings)
    @asynccontextmanager
    async def lifespan(_: FastAPI):
        yield
        services.pool.close()

    app = FastAPI(title="Linkwell referral service", version="0.1.0", lifespan=lifespan,
                  description="Intake, eligibility, allocation and the referral lifecycle.")
    app.state.settings = settings
    app.state.services = services
    app.include_router(service_health_router(settings))
    app.include_router(referral_routes.router)
    app.include_router(reference_routes.router)
    app.include_router(patient_routes.router)
    errors.install(app)
    return app


def app_from_env() -> FastAPI:
    return create_app(Settings())
