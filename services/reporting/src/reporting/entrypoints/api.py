"""The reporting HTTP API: `create_app(settings, clock)`; uvicorn entry `app_from_env`."""

from __future__ import annotations

from fastapi import FastAPI

from linkwell_runtime.clock import Clock
from linkwell_runtime.service import create_service_app
from reporting.bootstrap import bootstrap
from reporting.config import Settings
from reporting.entrypoints.errors import REFUSALS
from reporting.entrypoints.routers import claims, commissioner, metrics, outcomes, star_change

API_VERSION = "0.1.0"

TAGS = [
    {
        "name": "outcomes",
        "description": "The payable-outcome ledger for date D as known at moment T, and its evidence.",
    },
    {"name": "claims", "description": "Monthly claims: closed once, served byte for byte, later news as adjustments."},
    {"name": "commissioner", "description": "The commissioner's CSV uploads: hospital activity, comparison costs."},
    {"name": "metrics", "description": "Dashboards: funnel, caseloads, Well-being Star change, linkages."},
]


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    """`clock` fixes "now" and "today" (tests); the system clock by default."""
    settings = settings or Settings()
    return create_service_app(
        title="Linkwell reporting",
        version=API_VERSION,
        settings=settings,
        description="Payable outcomes for effective date D as known at T, claims, commissioner data, dashboards.",
        bootstrap=lambda: bootstrap(settings, clock),
        routers=[outcomes.router, claims.router, commissioner.router, metrics.router, star_change.router],
        refusals=REFUSALS,
        openapi_tags=TAGS,
    )


def app_from_env() -> FastAPI:
    return create_app()
