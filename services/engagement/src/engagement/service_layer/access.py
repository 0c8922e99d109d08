"""Who may read or change a case: role first (403 whatever the case), then the case's scope (404).

`may_record` / `may_manage` are the checks an idempotent write runs before it writes or replays a
stored answer: a link worker whose case was handed to a colleague gets 404, not their old answer."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from contracts.roles import Role
from engagement.adapters.case_store import load_current
from engagement.domain import Case, Scope, can_view
from engagement.service_layer.errors import CaseNotFound
from engagement.service_layer.unit_of_work import EngagementUnitOfWork
from linkwell_runtime.auth import Principal
from linkwell_runtime.refusals import Forbidden

READERS = frozenset({Role.LINK_WORKER, Role.PROVIDER_MANAGER, Role.SERVICE})
TEXT_READERS = frozenset({Role.LINK_WORKER, Role.PROVIDER_MANAGER})  # the case's free texts (audited)
CONTENT_WRITERS = frozenset({Role.LINK_WORKER})  # contacts, attempts, goals, Stars, linkages
CASE_MANAGERS = frozenset({Role.LINK_WORKER, Role.PROVIDER_MANAGER})  # reassignment, extension, discharge


def _uuid(value: str | None) -> UUID | None:
    try:
        return None if value is None else UUID(value)
    except ValueError:
        return None


def scope_of(principal: Principal) -> Scope:
    return Scope(
        practice=principal.practice,
        provider_id=_uuid(principal.provider_id),
        link_worker_id=_uuid(principal.link_worker_id),
    )


def ensure_role(principal: Principal, roles: frozenset[Role]) -> None:
    if principal.role not in roles:
        raise Forbidden(f"role {principal.role.value} may not do this")


def ensure_visible(principal: Principal, case: Case) -> None:
    """Unknown and out-of-scope cases look the same."""
    if not can_view(principal.role, scope_of(principal), case):
        raise CaseNotFound()


def may_record(uow: EngagementUnitOfWork, principal: Principal, case_id: UUID) -> Callable[[], None]:
    """The check for case work (contacts, attempts, goals, Stars, linkages): the link worker holding it."""
    return _may_act(uow, principal, case_id, CONTENT_WRITERS)


def may_manage(uow: EngagementUnitOfWork, principal: Principal, case_id: UUID) -> Callable[[], None]:
    """The check for reassignment, extension and discharge: its link worker, or its provider's manager."""
    return _may_act(uow, principal, case_id, CASE_MANAGERS)


def _may_act(
    uow: EngagementUnitOfWork, principal: Principal, case_id: UUID, roles: frozenset[Role]
) -> Callable[[], None]:
    def check() -> None:
        ensure_role(principal, roles)
        ensure_visible(principal, load_current(uow.events, case_id, uow.cases))

    return check
