"""Authenticated writes (operator, or a provider manager for their own organisation's services).
Each is one transaction; `Idempotency-Key` replays the first answer, after the caller's right to
write for the organisation has been checked again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel

from contracts.roles import Role
from directory.domain.access import may_write
from directory.domain.inputs import OrganizationIn, ServiceIn, StatusChange
from directory.entrypoints.dependencies import UowDep
from directory.entrypoints.schemas import Organization, Service
from directory.service_layer import handlers, views
from directory.service_layer.unit_of_work import DirectoryUnitOfWork
from linkwell_runtime.auth import Principal, require_roles
from linkwell_runtime.problems import responses
from linkwell_runtime.web import IdempotencyKey, idempotent_write

TAG = "directory writes"
router = APIRouter(tags=[TAG])
Writer = Annotated[Principal, Depends(require_roles(Role.OPERATOR, Role.PROVIDER_MANAGER))]
PUBLISH_REFUSALS = responses(401, 403, 409, 422)
CHANGE_REFUSALS = responses(401, 403, 404, 409, 422)


@router.post(
    "/services", status_code=201, response_model=Service, summary="Publish a service", responses=PUBLISH_REFUSALS
)
def publish_service(
    request: Request, body: ServiceIn, principal: Writer, uow: UowDep, key: IdempotencyKey = None
) -> Response:
    """Publish a service (ORUK 3.0 fields, nested children; ids optional); emits ServicePublished."""

    def write() -> tuple[int, Service]:
        handlers.publish_service(uow, body)
        return 201, _service(uow, body.id)

    def access() -> None:
        _may(principal, body.organization_id)
        _may_reach_nested(uow, principal, body)

    return _write(uow, request, principal, key, body, write, access)


@router.put("/services/{service_id}", response_model=Service, summary="Replace a service", responses=CHANGE_REFUSALS)
def update_service(
    request: Request, service_id: UUID, body: ServiceIn, principal: Writer, uow: UowDep, key: IdempotencyKey = None
) -> Response:
    """Replace a service's details (children replaced); emits ServiceUpdated (and ServiceStatusChanged
    if the status moved)."""
    service = body.model_copy(update={"id": service_id})

    def write() -> tuple[int, Service]:
        handlers.update_service(uow, service)
        return 200, _service(uow, service_id)

    def access() -> None:
        _may_change_service(uow, principal, service_id, service.organization_id)
        _may_reach_nested(uow, principal, service)

    return _write(uow, request, principal, key, body, write, access)


@router.post(
    "/services/{service_id}/status",
    response_model=Service,
    summary="Change a service's status",
    responses=CHANGE_REFUSALS,
)
def change_service_status(
    request: Request, service_id: UUID, body: StatusChange, principal: Writer, uow: UowDep, key: IdempotencyKey = None
) -> Response:
    """Change a service's ORUK status; emits ServiceStatusChanged (nothing if it already had it)."""

    def write() -> tuple[int, Service]:
        handlers.change_service_status(uow, service_id, body.status)
        return 200, _service(uow, service_id)

    return _write(uow, request, principal, key, body, write, lambda: _may_change_service(uow, principal, service_id))


@router.post(
    "/organizations",
    status_code=201,
    response_model=Organization,
    summary="Publish an organisation",
    responses=PUBLISH_REFUSALS,
)
def publish_organization(
    request: Request, body: OrganizationIn, principal: Writer, uow: UowDep, key: IdempotencyKey = None
) -> Response:
    """Publish an organisation; emits OrganizationPublished."""

    def write() -> tuple[int, Organization]:
        handlers.publish_organization(uow, body)
        return 201, _organization(uow, body.id)

    return _write(uow, request, principal, key, body, write, lambda: _may(principal, body.id))


@router.put(
    "/organizations/{organization_id}",
    response_model=Organization,
    summary="Replace an organisation",
    responses=CHANGE_REFUSALS,
)
def update_organization(
    request: Request,
    organization_id: UUID,
    body: OrganizationIn,
    principal: Writer,
    uow: UowDep,
    key: IdempotencyKey = None,
) -> Response:
    """Replace an organisation's details; emits OrganizationUpdated."""
    org = body.model_copy(update={"id": organization_id})

    def write() -> tuple[int, Organization]:
        handlers.update_organization(uow, org)
        return 200, _organization(uow, organization_id)

    return _write(uow, request, principal, key, body, write, lambda: _may(principal, organization_id))


def _write(
    uow: DirectoryUnitOfWork,
    request: Request,
    principal: Principal,
    key: str | None,
    body: BaseModel,
    write: Callable[[], tuple[int, Any]],
    access: Callable[[], None],
) -> Response:
    """The body as sent (fields left out stay out: a generated id must not make a retry look different)."""
    return idempotent_write(
        uow, request, principal, key, body.model_dump(mode="json", exclude_unset=True), write, access=access
    )


def _may(principal: Principal, *organization_ids: UUID | None) -> None:
    may_write(principal.role, principal.provider_id, *organization_ids)


def _may_reach_nested(uow: DirectoryUnitOfWork, principal: Principal, service: ServiceIn) -> None:
    """Nested ids (locations, contacts, schedules, ...) reach only the service's own records."""
    handlers.check_nested_ids(uow, service, own_organisation_only=principal.role is Role.PROVIDER_MANAGER)


def _may_change_service(uow: DirectoryUnitOfWork, principal: Principal, service_id: UUID, *also: UUID | None) -> None:
    """The service's organisation as stored (and the one it moves to, if any) must be the caller's."""
    _may(principal, handlers.service_state(uow, service_id).organization_id, *also)


def _service(uow: DirectoryUnitOfWork, service_id: UUID) -> Service:
    return Service.model_validate(views.service(uow.cur, service_id))


def _organization(uow: DirectoryUnitOfWork, organization_id: UUID) -> Organization:
    return Organization.model_validate(views.organization(uow.cur, organization_id))
