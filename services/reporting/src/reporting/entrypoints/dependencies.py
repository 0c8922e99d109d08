"""Shared route plumbing: services, scope, time parameters, idempotent writes."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from uuid import UUID

from fastapi import Request

from linkwell_runtime import idempotency
from linkwell_runtime.auth import Principal, Role
from reporting.bootstrap import Services
from reporting.service_layer.errors import BadRequest, Forbidden


def services(request: Request) -> Services:
    return request.app.state.services


def scoped_provider(principal: Principal, provider_id: UUID | None) -> UUID | None:
    """A provider manager sees only their own provider; asking for another is 403."""
    if principal.role == Role.PROVIDER_MANAGER:
        own = UUID(principal.provider_id)
        if provider_id is not None and provider_id != own:
            raise Forbidden("a provider manager sees only their own provider")
        return own
    return provider_id


def moment(svc: Services, as_of: date | None, known_at: datetime | None) -> tuple[date, datetime]:
    if known_at is not None and known_at.tzinfo is None:
        raise BadRequest([(["query", "known_at"], "known_at must carry a UTC offset, e.g. 2026-01-31T12:00:00Z")])
    return as_of or svc.today(), known_at or svc.now()


def idempotent_write(svc: Services, principal: Principal, key: str | None, method: str, path: str, body: Any,
                     write: Callable[[Any], tuple[int, Any]], replay: Callable[[Any, idempotency.StoredAnswer], Any]):
    """Run `write(cur)` → (status, answer) in one transaction with the Idempotency-Key bookkeeping.
    The stored answer is `answer` (JSON); `replay(cur, stored)` turns it back into a response."""
    with svc.pool.transaction() as cur:
        fingerprint = idempotency.request_hash(method, path, body)
        if key:
            stored = idempotency.replay(cur, principal.sub, key, fingerprint)
            if stored is not None:
                return replay(cur, stored)
        status, answer = write(cur)
        if key:
            idempotency.remember(cur, principal.sub, key, fingerprint, idempotency.StoredAnswer(status, answer))
        return status, answer
