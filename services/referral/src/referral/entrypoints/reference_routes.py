"""Reference data: practices, providers, link workers. Reads for any authenticated caller; changes by
operators (and, for their own link workers, provider managers), each emitting an event."""
from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException, Request, status

from linkwell_runtime.auth import Principal, PrincipalDep, Role, require_roles
from referral.adapters import reference_data
from referral.entrypoints.dependencies import CursorDep, IdempotencyKey, UowDep, idempotent_write
from referral.entrypoints.schemas import LinkWorkerChange, LinkWorkerIn, PracticeChange, PracticeIn, ProviderIn
from referral.service_layer import reference
from referral.service_layer.errors import NotFound

router = APIRouter(tags=["reference data"])
Operator = Annotated[Principal, Depends(require_roles(Role.OPERATOR))]
Staffing = Annotated[Principal, Depends(require_roles(Role.OPERATOR, Role.PROVIDER_MANAGER))]


@router.get("/practices")
def list_practices(_: PrincipalDep, cur: CursorDep) -> list[dict]:
    """The GP practices, whether they take part, and the provider serving each."""
    return reference_data.list_practices(cur)


@router.get("/providers")
def list_providers(_: PrincipalDep, cur: CursorDep) -> list[dict]:
    """The provider organisations and the practices each serves."""
    return reference_data.list_providers(cur)


@router.get("/link-workers")
def list_link_workers(_: PrincipalDep, cur: CursorDep, provider_id: UUID | None = None) -> list[dict]:
    """Link workers with capacity and active caseload, optionally of one provider."""
    return reference_data.list_link_workers(cur, provider_id)


@router.post("/providers", status_code=status.HTTP_201_CREATED)
def create_provider(body: ProviderIn, principal: Operator, uow: UowDep, request: Request,
                    idempotency_key: IdempotencyKey = None):
    """Register a provider organisation."""
    def write() -> tuple[int, Any]:
        return 201, {"provider_id": reference.register_provider(uow, body.name), "name": body.name}

    return idempotent_write(uow, request, principal, idempotency_key, body.model_dump(mode="json"), write)


@router.post("/practices", status_code=status.HTTP_201_CREATED)
def create_practice(body: PracticeIn, principal: Operator, uow: UowDep, request: Request,
                    idempotency_key: IdempotencyKey = None):
    """Register a GP practice (409 if its ODS code is known)."""
    def write() -> tuple[int, Any]:
        reference.register_practice(uow, body.ods_code, body.name, body.participating, body.provider_id)
        return 201, reference_data.practice(uow.cur, body.ods_code).__dict__

    return idempotent_write(uow, request, principal, idempotency_key, body.model_dump(mode="json"), write)


@router.patch("/practices/{ods_code}")
def change_practice(ods_code: str, body: PracticeChange, principal: Operator, uow: UowDep) -> dict:
    """Change a practice's name, participation or provider."""
    reference.update_practice(uow, ods_code, _changes(body))
    return reference_data.practice(uow.cur, ods_code).__dict__


@router.post("/link-workers", status_code=status.HTTP_201_CREATED)
def create_link_worker(body: LinkWorkerIn, principal: Staffing, uow: UowDep, request: Request,
                       idempotency_key: IdempotencyKey = None):
    """Register a link worker with a caseload capacity; the provider's queue is allocated at once."""
    _own_provider(principal, body.provider_id)

    def write() -> tuple[int, Any]:
        link_worker_id = reference.register_link_worker(uow, body.provider_id, body.display_name, body.capacity,
                                                        body.active)
        return 201, reference_data.link_worker(uow.cur, link_worker_id)

    return idempotent_write(uow, request, principal, idempotency_key, body.model_dump(mode="json"), write)


@router.patch("/link-workers/{link_worker_id}")
def change_link_worker(link_worker_id: UUID, body: LinkWorkerChange, principal: Staffing, uow: UowDep) -> dict:
    """Change capacity, name or active flag; more room allocates the provider's queue head at once."""
    current = reference_data.link_worker(uow.cur, link_worker_id)
    if current is None:
        raise NotFound(f"no link worker {link_worker_id}")
    _own_provider(principal, current["provider_id"])
    reference.update_link_worker(uow, link_worker_id, _changes(body))
    return reference_data.link_worker(uow.cur, link_worker_id)


def _own_provider(principal: Principal, provider_id: UUID) -> None:
    if principal.role is Role.PROVIDER_MANAGER and principal.provider_id != str(provider_id):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "a provider manager manages only their own link workers")


def _changes(body) -> dict:
    """The fields sent; null means "unchanged" except for a practice's provider (null: none)."""
    return {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None or k == "provider_id"}
