"""The referral HTTP API: `create_app(settings, clock)`; `app_from_env` for uvicorn --factory."""

from __future__ import annotations

from fastapi import FastAPI

from linkwell_runtime import audit_routes
from linkwell_runtime.clock import Clock
from linkwell_runtime.service import create_service_app
from referral.bootstrap import bootstrap
from referral.config import Settings
from referral.entrypoints import patient_routes, reference_routes, referral_routes
from referral.entrypoints.errors import REFUSALS

API_VERSION = "0.1.0"
TAGS = [
    {"name": "referrals", "description": "Intake, role-scoped reads, declines and discharge summaries."},
    {"name": "patients", "description": "A patient's right to erasure (crypto-shredding of their key)."},
    {"name": "reference data", "description": "Practices, providers and link workers; changes emit events."},
    {"name": "audit", "description": "The access audit: who opened which patient's data, for auditors only."},
]


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or Settings()
    return create_service_app(
        title="Linkwell referral service",
        version=API_VERSION,
        settings=settings,
        description="Intake, eligibility, allocation and the referral lifecycle.",
        bootstrap=lambda: bootstrap(settings, clock),
        routers=[referral_routes.router, reference_routes.router, patient_routes.router, audit_routes.router],
        refusals=REFUSALS,
        openapi_tags=TAGS,
    )


def app_from_env() -> FastAPI:
    return create_app(Settings())
