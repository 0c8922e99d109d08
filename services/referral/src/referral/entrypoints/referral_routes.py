"""`/referrals`: intake, reads scoped by role, decline, discharge summary. Routes only translate."""
from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status

from contracts.referral import ReferralStatus
from linkwell_runtime.auth import Principal, PrincipalDep, Role, require_roles
from linkwell_runtime.input_guards import PageNumber
from referral.adapters.referral_rows import ReferralFilter, referral_row
from referral.domain import Referral, ReferralIntake
from referral.entrypoints.dependencies import CursorDep, IdempotencyKey, UowDep, idempotent_write
from referral.entrypoints.schemas import DeclineIn, ReferralCreate, ReferralCreated
from referral.service_layer import intake, lifecycle, views
from referral.service_layer.errors import NotFound

router = APIRouter(prefix="/referrals", tags=["referrals"])
Referrer = Annotated[Principal, Depends(require_roles(Role.REFERRER))]
MayDecline = Annotated[Principal, Depends(require_roles(Role.REFERRER, Role.LINK_WORKER, Role.PROVIDER_MANAGER))]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ReferralCreated)
def create_referral(body: ReferralCreate, principal: Referrer, uow: UowDep, request: Request,
                    idempotency_key: IdempotencyKey = None):
    """Receive a referral; it is assessed and, if eligible, allocated in the same request."""
    if body.practice_ods_code.strip().upper() != principal.practice:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "a referrer may refer only from their own practice")

    def write() -> tuple[int, Any]:
        # answered from the state just stored: no read back while the provider's allocation lock is held
        return 201, _created(intake.receive_referral(uow, _intake(body)).referral)

    return idempotent_write(uow, request, principal, idempotency_key, body.model_dump(mode="json"), write)


@router.get("")
def list_referrals(principal: PrincipalDep, cur: CursorDep, request: Request,
                   status_: Annotated[ReferralStatus | None, Query(alias="status")] = None,
                   practice: str | None = None, provider_id: UUID | None = None,
                   link_worker_id: UUID | None = None, page: PageNumber = 1,
                   page_size: Annotated[int | None, Query(ge=1, le=500)] = None) -> dict:
    """Referrals in order of receipt, filtered, paginated, within the caller's scope."""
    size = page_size or request.app.state.settings.page_size
    wanted = ReferralFilter(status=status_.value if status_ else None, practice=practice,
                            provider_id=provider_id, link_worker_id=link_worker_id)
    items, total = views.scoped_list(cur, principal, wanted, page, size)
    return {"items": items, "page": page, "page_size": size, "total": total}


@router.get("/{referral_id}")
def get_referral(referral_id: UUID, principal: PrincipalDep, cur: CursorDep) -> dict:
    """One referral; identifiable fields only for those allowed, and every such read is audited."""
    return views.referral_view(cur, principal, referral_id)


@router.get("/{referral_id}/discharge-summary")
def get_discharge_summary(referral_id: UUID, principal: PrincipalDep, cur: CursorDep) -> dict:
    """The summary sent to the GP and referrer when the episode ended (dates, codes, counts)."""
    row = views.visible_row(cur, principal, referral_id)
    if row["summary"] is None:
        raise NotFound(f"referral {referral_id} is still open: no discharge summary yet")
    return row["summary"]


@router.post("/{referral_id}/decline")
def decline_referral(referral_id: UUID, body: DeclineIn, principal: MayDecline, uow: UowDep, request: Request,
                     idempotency_key: IdempotencyKey = None):
    """The patient declines the service (allowed from eligible onwards; 409 once the episode ended)."""
    views.visible_row(uow.cur, principal, referral_id)

    def write() -> tuple[int, Any]:
        lifecycle.decline(uow, referral_id, body.reason, body.note, body.declined_on)
        return 200, views.public_fields(referral_row(uow.cur, referral_id))

    return idempotent_write(uow, request, principal, idempotency_key, body.model_dump(mode="json"), write)


def _intake(body: ReferralCreate) -> ReferralIntake:
    return ReferralIntake(
        nhs_number=body.nhs_number, given_name=body.given_name, family_name=body.family_name,
        date_of_birth=body.date_of_birth, sex=body.sex, postcode=body.postcode, phone=body.phone,
        practice_ods_code=body.practice_ods_code, referrer_name=body.referrer.name,
        referrer_role=body.referrer.role, conditions=tuple(body.conditions),
        mental_health=tuple(body.mental_health), email=body.email, reason=body.reason,
        referred_on=body.referred_on,
    )


def _created(referral: Referral) -> dict:
    return {"referral_id": referral.referral_id, "patient_id": referral.patient_id, "status": referral.status.value,
            "eligibility": {"eligible": not referral.ineligibility_reasons,
                            "reasons": [r.model_dump(mode="json") for r in referral.ineligibility_reasons]},
            "provider_id": referral.provider_id, "link_worker_id": referral.link_worker_id}
