"""Helpers for the referral tests: request bodies, the seeded ids, tokens, table counts."""

from __future__ import annotations

from linkwell_runtime.testing import scalar
from referral.adapters.reference_seed import provider_id

PRACTICE = "A85001"  # served by Changing Lives
OTHER_PRACTICE = "A85010"  # served by First Contact Clinical
CHANGING_LIVES = provider_id("Changing Lives")
VALID_NHS = ["9434765919", "9434765870", "4010232137", "9990000026", "9990000018"]


def referral_body(**overrides) -> dict:
    body = {
        "nhs_number": "943 476 5919",
        "given_name": "Joan",
        "family_name": "Robson",
        "date_of_birth": "1965-03-14",
        "sex": "female",
        "postcode": "ne4 6qa",
        "phone": "0191 496 0000",
        "email": "joan@example.org",
        "practice_ods_code": PRACTICE,
        "referrer": {"name": "Dr A Khan", "role": "gp"},
        "conditions": ["type2_diabetes"],
        "mental_health": ["anxiety"],
        "reason": "Isolated since her husband died",
        "referred_on": "2024-06-03",
    }
    return body | overrides


def count(client, table: str) -> int:
    return scalar(client.app.state.settings.database_url, f"SELECT count(*) FROM {table}")


def platform_patient_id(client, token, referral_id: str) -> str:
    """The platform's patient id of a referral, as an operator sees it (a referrer is shown its
    practice's own id of the patient, docs/security.md)."""
    return client.get(f"/referrals/{referral_id}", headers=token("operator")).json()["patient_id"]


def with_allocation(client, token, created: dict) -> dict:
    """A referral's answer with its status and allocation as an operator sees them: its practice is
    answered `accepted` with no provider or link worker until first contact (docs/security.md §3.1),
    and a test that then acts for the case needs who holds it."""
    seen = client.get(f"/referrals/{created['referral_id']}", headers=token("operator")).json()
    return created | {name: seen[name] for name in ("status", "provider_id", "link_worker_id")}
