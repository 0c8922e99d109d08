"""Reference data: practices, providers, link workers. Practices and providers are read by every role
but the auditor; link workers (a provider's staff: names, capacities, caseloads) only as each role
needs them (docs/security.md §3.1). Changes by operators (and, for their own link workers, provider
managers), each emitting an event."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request, Response, status
from pydantic import BaseModel

from contracts.roles import Role
from linkwell_runtime import web
from linkwell_runtime.auth import Principal, require_roles
from linkwell_runtime.problems import responses
from linkwell_runtime.refusals import Forbidden, NotFound
from referral.adapters import reference_data
from referral.entrypoints.dependencies import Operator, Staffing, UowDep
from referral.entrypoints.schemas.answers import LinkWorker, Practice, Provider, ProviderCreated
from referral.entrypoints.schemas.requests import LinkWorkerChange, LinkWorkerIn, PracticeChange, PracticeIn, ProviderIn
from referral.service_layer import reference

router = APIRouter(tags=["reference data"])

# The organisations (names, ODS codes, who serves whom): every role's work names them; the auditor
# reads the audit and nothing else.
ReferenceReader = Annotated[Principal, Depends(require_roles(*(r for r in Role if r is not Role.AUDITOR)))]
# A provider's staff: its managers and link workers (their own provider's), operators (every one:
# they register them and watch allocation), finance (names only: the ledger's lines name them).
StaffReader = Annotated[
    Principal, Depends(require_roles(Role.OPERATOR, Role.PROVIDER_MANAGER, Role.LINK_WORKER, Role.FINANCE))
]
OWN_PROVIDER_ONLY = frozenset({Role.PROVIDER_MANAGER, Role.LINK_WORKER})
NAMES_ONLY = frozenset({Role.FINANCE})


@router.get("/practices", response_model=list[Practice], summary="List practices", responses=responses(401, 403))
def list_practices(_: ReferenceReader, cur: web.CursorDep) -> list[dict[str, Any]]:
    """The GP practices, whether they take part, and the provider serving each."""
    return reference_data.list_practices(cur)


@router.get("/providers", response_model=list[Provider], summary="List providers", responses=responses(401, 403))
def list_providers(_: ReferenceReader, cur: web.CursorDep) -> list[dict[str, Any]]:
    """The provider organisations and the practices each serves."""
    return reference_data.list_providers(cur)


@router.get(
    "/link-workers", response_model=list[LinkWorker], summary="List link workers", responses=responses(401, 403)
)
def list_link_workers(
    principal: StaffReader, cur: web.CursorDep, provider_id: UUID | None = None
) -> list[dict[str, Any]]:
    """Link workers with capacity and active caseload, optionally of one provider. A provider manager
    or link worker gets their own provider's only (another provider's filter: an empty list, as every
    referral list answers a filter outside the caller's scope); finance gets names, without capacity
    or caseload (null); referrers, services and auditors are refused (403)."""
    if principal.role in OWN_PROVIDER_ONLY:
        own = UUID(str(principal.provider_id))
        if provider_id not in (None, own):
            return []
        provider_id = own
    workers = reference_data.list_link_workers(cur, provider_id)
    if principal.role in NAMES_ONLY:
        return [w | {"capacity": None, "active_caseload": None} for w in workers]
    return workers


@router.post(
    "/providers",
    status_code=status.HTTP_201_CREATED,
    response_model=ProviderCreated,
    summary="Register a provider",
    responses=responses(401, 403),
)
def create_provider(
    body: ProviderIn, principal: Operator, uow: UowDep, request: Request, idempotency_key: web.IdempotencyKey = None
) -> Response:
    """Register a provider organisation."""

    def write() -> tuple[int, Any]:
        return 201, {"provider_id": reference.register_provider(uow, body.name), "name": body.name}

    return web.idempotent_write(
        uow, request, principal, idempotency_key, body.model_dump(mode="json"), write, access=None
    )


@router.post(
    "/practices",
    status_code=status.HTTP_201_CREATED,
    response_model=Practice,
    summary="Register a practice",
    responses=responses(401, 403, 409),
)
def create_practice(
    body: PracticeIn, principal: Operator, uow: UowDep, request: Request, idempotency_key: web.IdempotencyKey = None
) -> Response:
    """Register a GP practice (409 if its ODS code is known); a provider serving it drains its queue."""

    def write() -> tuple[int, Any]:
        reference.register_practice(uow, body.ods_code, body.name, body.participating, body.provider_id)
        return 201, _practice(uow.cur, body.ods_code)

    return web.idempotent_write(
        uow, request, principal, idempotency_key, body.model_dump(mode="json"), write, access=None
    )


@router.patch(
    "/practices/{ods_code}", response_model=Practice, summary="Change a practice", responses=responses(401, 403, 404)
)
def change_practice(ods_code: str, body: PracticeChange, _: Operator, uow: UowDep) -> dict[str, Any]:
    """Change a practice's name, participation or provider."""
    reference.update_practice(uow, ods_code, _changes(body))
    return _practice(uow.cur, ods_code)


@router.post(
    "/link-workers",
    status_code=status.HTTP_201_CREATED,
    response_model=LinkWorker,
    summary="Register a link worker",
    responses=responses(401, 403),
)
def create_link_worker(
    body: LinkWorkerIn, principal: Staffing, uow: UowDep, request: Request, idempotency_key: web.IdempotencyKey = None
) -> Response:
    """Register a link worker with a caseload capacity; the provider's queue is allocated at once."""

    def write() -> tuple[int, Any]:
        link_worker_id = reference.register_link_worker(
            uow, body.provider_id, body.display_name, body.capacity, body.active
        )
        return 201, reference_data.link_worker(uow.cur, link_worker_id)

    return web.idempotent_write(
        uow,
        request,
        principal,
        idempotency_key,
        body.model_dump(mode="json"),
        write,
        access=lambda: _own_provider(principal, body.provider_id),
    )


@router.patch(
    "/link-workers/{link_worker_id}",
    response_model=LinkWorker,
    summary="Change a link worker",
    responses=responses(401, 403, 404),
)
def change_link_worker(
    link_worker_id: UUID,
    body: LinkWorkerChange,
    principal: Staffing,
    uow: UowDep,
    request: Request,
    idempotency_key: web.IdempotencyKey = None,
) -> Response:
    """Change capacity, name or active flag; more room allocates the provider's queue head at once.
    With an `Idempotency-Key` a repeat (a form sent twice) replays the first answer and changes nothing."""

    def own_link_worker() -> None:
        current = reference_data.link_worker(uow.cur, link_worker_id)
        # Another provider's worker is answered as an unknown one: its manager cannot list it either.
        if current is None or (
            principal.role is Role.PROVIDER_MANAGER and principal.provider_id != str(current["provider_id"])
        ):
            raise NotFound(f"no link worker {link_worker_id}")

    def write() -> tuple[int, Any]:
        reference.update_link_worker(uow, link_worker_id, _changes(body))
        return 200, reference_data.link_worker(uow.cur, link_worker_id)

    return web.idempotent_write(
        uow, request, principal, idempotency_key, body.model_dump(mode="json"), write, access=own_link_worker
    )


def _own_provider(principal: Principal, provider_id: UUID) -> None:
    if principal.role is Role.PROVIDER_MANAGER and principal.provider_id != str(provider_id):
        raise Forbidden("a provider manager manages only their own link workers")


def _practice(cur: Any, ods_code: str) -> dict[str, Any]:
    practice = reference_data.practice(cur, ods_code)
    if practice is None:
        raise NotFound("no such practice")  # never echo what was sent
    return asdict(practice)


def _changes(body: BaseModel) -> dict[str, Any]:
    """The fields sent; null means "unchanged" except for a practice's provider (null: none)."""
    return {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None or k == "provider_id"}
