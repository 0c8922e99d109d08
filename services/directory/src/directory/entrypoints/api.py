"""The directory's HTTP app: the ORUK 3.0 read API (public) and authenticated writes."""

from __future__ import annotations

from fastapi import FastAPI

from directory.bootstrap import bootstrap
from directory.config import Settings
from directory.entrypoints import read_routes, write_routes
from directory.entrypoints.errors import REFUSALS
from linkwell_runtime.clock import Clock
from linkwell_runtime.service import create_service_app

API_VERSION = "1.0.0"
DESCRIPTION = (
    f"Community services in Open Referral UK {read_routes.ORUK_VERSION}: the public ORUK read API"
    " (page envelope, filters, proximity) and authenticated writes that publish events."
)
TAGS = [
    {"name": read_routes.TAG, "description": "Public, no token: ORUK 3.0 documents and pages"},
    {
        "name": write_routes.TAG,
        "description": "Bearer token: operator, or a provider manager for their own"
        " organisation; Idempotency-Key honoured",
    },
]


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    """`clock` fixes "now" (tests); the system clock by default."""
    settings = settings or Settings()
    return create_service_app(
        title="Linkwell directory",
        version=API_VERSION,
        description=DESCRIPTION,
        settings=settings,
        bootstrap=lambda: bootstrap(settings, clock),
        routers=[read_routes.router, write_routes.router],
        refusals=REFUSALS,
        openapi_tags=TAGS,
    )


def app_from_env() -> FastAPI:
    """uvicorn --factory entry: settings from the environment."""
    return create_app()
