"""Who may read or change a case: role first (403 whatever the case), then the case's scope (404)."""
from __future__ import annotations

from uuid import UUID

from engagement.domain import Case, Role, Scope, can_view
from engagement.service_layer.errors import CaseNotFound, Forbidden
from linkwell_runtime.auth import Principal

READERS = frozenset({Role.LINK_WORKER, Role.PROVIDER_MANAGER, Role.SERVICE})
CONTENT_WRITERS = frozenset({Role.LINK_WORKER})  # contacts, attempts, goals, Stars, linkages
CASE_MANAGERS = frozenset({Role.LINK_WORKER, Role.PROVIDER_MANAGER})  # reassignment, extension, discharge


def _uuid(value: str | None) -> UUID | None:
    try:
        return None if value is None else UUID(value)
    except ValueError:
        return None


def scope_of(principal: Principal) -> Scope:
    return Scope(practice=principal.practice, provider_id=_uuid(principal.provider_id),
                 link_worker_id=_uuid(principal.link_worker_id))


def ensure_role(principal: Principal, roles: frozenset[Role]) -> None:
    if principal.role.value not in roles:
        raise Forbidden(f"role {principal.role.value} may not do this")


def ensure_visible(principal: Principal, case: Case) -> None:
    """Unknown and out-of-scope cases look the same."""
    if not can_view(principal.role.value, scope_of(principal), case):
        raise CaseNotFound("no such case")
