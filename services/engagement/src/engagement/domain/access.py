"""Who may see a case (docs/architecture.md §4): a link worker their own caseload, a provider manager
their organisation's, the platform's own services everything. Nobody else sees case content:
referrers follow the referral, finance sees pseudonymised outcomes, operators no clinical content."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from contracts.roles import Role
from engagement.domain.case_state import CaseState


@dataclass(frozen=True)
class Scope:
    practice: str | None = None
    provider_id: UUID | None = None
    link_worker_id: UUID | None = None


def can_view(role: Role | str, scope: Scope, case: CaseState) -> bool:
    if case.case_id is None or role not in set(Role):
        return False
    match Role(role):
        case Role.LINK_WORKER:
            return scope.link_worker_id is not None and scope.link_worker_id == case.link_worker_id
        case Role.PROVIDER_MANAGER:
            return scope.provider_id is not None and scope.provider_id == case.provider_id
        case Role.SERVICE:
            return True
    return False
