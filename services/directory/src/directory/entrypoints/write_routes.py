"""Authenticated writes (operator, or a provider manager for their own organisation's services)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Header, HTTPException, Request
from fastapi.responses import JSONResponse
from linkwell_runtime import eventstore, idempotency
from linkwell_runtime.auth import Principal, Role, require_roles

from directory.adapters import oruk_queries as q
from directory.domain.inputs import OrganizationIn, ServiceIn, StatusChange
from directory.service_layer import handlers
from directory.service_layer.handlers import Context

router = APIRouter(tags=["directory writes"])
Writer = Annotated[Principal, Depends(require_roles(Role.OPERATOR, Role.PROVIDER_MANAGER))]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]


def _may_write(principal: Principal, *organization_ids: UUID | None) -> None:
    """A provider manager writes only for their own organisation (provider_id = organization id)."""
    if principal.role == Role.PROVIDER_MANAGER and any(str(o) != principal.provider_id for o in organization_ids if o):
        raise HTTPException(403, "a provider manager may only change their own organisation's services")


def _run(request: Request, principal: Principal, key: str | None, body: Any,
         action: Callable[[Any, Context], tuple[int, Any]]) -> JSONResponse:
    """One transaction: replay a remembered answer, or act and remember; retry once on a concurrent write."""
    fingerprint = idempotency.request_hash(request.method, request.url.path, body)
    for attempt in (1, 2):
        try:
            with request.app.state.pool.transaction() as cur:
                stored = idempotency.replay(cur, principal.sub, key, fingerprint) if key else None
                if stored is not None:
                    return JSONResponse(stored.body, stored.status_code)
                ctx = Context(topic=request.app.state.settings.directory_topic, now=datetime.now(UTC))
                status, answer = action(cur, ctx)
                if key:
                    idempotency.remember(cur, principal.sub, key, fingerprint, idempotency.StoredAnswer(status, answer))
                return JSONResponse(answer, status)
        except eventstore.ConcurrencyConflict:
            if attempt == 2:
                raise HTTPException(409, "the resource changed concurrently; retry") from None
    raise AssertionError("unreachable")


def _service_doc(cur, service_id: UUID) -> dict:
    return q.full_services(cur, [service_id])[0]


@router.post("/services", status_code=201)
def publish_service(request: Request, body: ServiceIn, principal: Writer, key: IdempotencyKey = None) -> JSONResponse:
    """Publish a service (ORUK 3.0 fields); emits ServicePublished."""
    _may_write(principal, body.organization_id)

    def act(cur, ctx):
        handlers.publish_service(cur, body, ctx)
        return 201, _service_doc(cur, body.id)

    return _run(request, principal, key, body.model_dump(mode="json", exclude_unset=True), act)


@router.put("/services/{service_id}")
def update_service(request: Request, service_id: UUID, body: ServiceIn, principal: Writer,
                   key: IdempotencyKey = None) -> JSONResponse:
    """Replace a service's details; emits ServiceUpdated (and ServiceStatusChanged if the status moved)."""
    service = body.model_copy(update={"id": service_id})

    def act(cur, ctx):
        _may_write(principal, handlers.service_organization(cur, service_id), service.organization_id)
        handlers.update_service(cur, service, ctx)
        return 200, _service_doc(cur, service_id)

    return _run(request, principal, key, body.model_dump(mode="json", exclude_unset=True), act)


@router.post("/services/{service_id}/status")
def change_service_status(request: Request, service_id: UUID, body: StatusChange, principal: Writer,
                          key: IdempotencyKey = None) -> JSONResponse:
    """Change a service's ORUK status; emits ServiceStatusChanged (nothing if it already had it)."""

    def act(cur, ctx):
        _may_write(principal, handlers.service_organization(cur, service_id))
        handlers.change_service_status(cur, service_id, body.status, ctx)
        return 200, _service_doc(cur, service_id)

    return _run(request, principal, key, body.model_dump(mode="json"), act)


@router.post("/organizations", status_code=201)
def publish_organization(request: Request, body: OrganizationIn, principal: Writer,
                         key: IdempotencyKey = None) -> JSONResponse:
    """Publish an organisation; emits OrganizationPublished."""
    _may_write(principal, body.id)

    def act(cur, ctx):
        handlers.publish_organization(cur, body, ctx)
        return 201, q.one(cur, "organization", body.id)

    return _run(request, principal, key, body.model_dump(mode="json", exclude_unset=True), act)


@router.put("/organizations/{organization_id}")
def update_organization(request: Request, organization_id: UUID, body: OrganizationIn, principal: Writer,
                        key: IdempotencyKey = None) -> JSONResponse:
    """Replace an organisation's details; emits OrganizationUpdated."""
    _may_write(principal, organization_id)
    org = body.model_copy(update={"id": organization_id})

    def act(cur, ctx):
        handlers.update_organization(cur, org, ctx)
        return 200, q.one(cur, "organization", organization_id)

    return _run(request, principal, key, body.model_dump(mode="json", exclude_unset=True), act)
