"""The engagement HTTP API: `create_app(settings, clock)`; uvicorn entry `app_from_env`."""

from __future__ import annotations

from fastapi import FastAPI

from engagement.bootstrap import bootstrap
from engagement.config import Settings
from engagement.entrypoints import attention_routes, case_routes, case_work_routes, casework_routes
from engagement.entrypoints.errors import REFUSALS
from linkwell_runtime import audit_routes
from linkwell_runtime.clock import Clock
from linkwell_runtime.service import create_service_app

API_VERSION = "0.1.0"
TAGS = [
    {"name": "cases", "description": "The cases a caller may see, and one case in full."},
    {"name": "contacts", "description": "Contacts and failed attempts to reach the patient."},
    {"name": "goals", "description": "Goals in the patient's words, linked to Star areas."},
    {"name": "stars", "description": "Well-being Stars: baseline, reviews, corrections and voids."},
    {"name": "linkages", "description": "Onward linkage to community services in the directory."},
    {"name": "case lifecycle", "description": "Extension past the two-year limit, discharge, reassignment."},
    {"name": "consent", "description": "Consent to the service and to sharing outcomes; the patient's preferences."},
    {"name": "safeguarding", "description": "Safeguarding concerns: raised, escalated, closed; open ones listed."},
    {"name": "audit", "description": "The access audit: who opened which patient's data, for auditors only."},
]


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    """`clock` fixes "now" and "today" (tests); the system clock by default."""
    settings = settings or Settings()
    return create_service_app(
        title="Linkwell engagement",
        version=API_VERSION,
        settings=settings,
        description="The link worker's case: contacts, goals, Well-being Stars, linkages, discharge.",
        bootstrap=lambda: bootstrap(settings, clock),
        routers=[
            case_routes.router,
            case_work_routes.router,
            casework_routes.router,
            casework_routes.concerns_router,
            attention_routes.router,
            audit_routes.router,
        ],
        refusals=REFUSALS,
        openapi_tags=TAGS,
    )


def app_from_env() -> FastAPI:
    return create_app()
