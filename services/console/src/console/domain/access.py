"""Which role sees which pages (docs/architecture.md §4.3: the reporting API enforces the same)."""

from __future__ import annotations

from enum import StrEnum

from contracts.roles import Role


class Area(StrEnum):
    LEDGER = "ledger"  # payable, a line's evidence, what changed
    CLAIMS = "claims"
    UPLOADS = "uploads"
    CASEWORK = "casework"  # today's list, the caseload, a case (a link worker's own)
    REFERRALS = "referrals"  # refer a patient, the practice's referrals and discharge summaries (a referrer's own)
    TEAM = "team"  # caseloads against capacity, the queue, first contact, safeguarding, reassignment (a manager's)
    AUDIT = "audit"  # who opened which patient's data (the services' access audit), for auditors


_ALLOWED: dict[Area, frozenset[Role]] = {
    Area.LEDGER: frozenset({Role.FINANCE, Role.PROVIDER_MANAGER}),
    Area.CLAIMS: frozenset({Role.FINANCE}),
    Area.UPLOADS: frozenset({Role.FINANCE}),  # commissioner data is a finance input only
    Area.CASEWORK: frozenset({Role.LINK_WORKER}),
    Area.REFERRALS: frozenset({Role.REFERRER}),
    Area.TEAM: frozenset({Role.PROVIDER_MANAGER}),
    Area.AUDIT: frozenset({Role.AUDITOR}),
}


def may_see(role: Role, area: Area) -> bool:
    return role in _ALLOWED[area]


def areas_for(role: Role) -> list[Area]:
    return [area for area in Area if may_see(role, area)]
