"""Who may write what: an operator anything; a provider manager only their own organisation and its
services (their `provider_id` claim is the organisation's id, e.g. welfare advice a provider gives itself)."""

from __future__ import annotations

from uuid import UUID

from contracts.roles import Role
from directory.domain.errors import NotAllowed


def may_write(role: Role, provider_id: str | None, *organization_ids: UUID | None) -> None:
    """Raises NotAllowed unless the caller may write for every one of `organization_ids` (None: no owner yet)."""
    if role == Role.PROVIDER_MANAGER and any(str(o) != provider_id for o in organization_ids if o):
        raise NotAllowed("a provider manager may only change their own organisation's services")
