"""`/referrals`: intake, reads scoped by role, decline, discharge summary. Routes only translate."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response, status

from linkwell_runtime import web
from linkwell_runtime.auth import Principal, PrincipalDep
from linkwell_runtime.input_guards import PageNumber
from linkwell_runtime.problems import responses
from linkwell_runtime.refusals import Forbidden, NotFound
from referral.adapters.referral_rows import ReferralFilter
from referral.domain import Referral
from referral.entrypoints.dependencies import (
    MayCorrect,
    MayCorrectEntries,
    MayDecline,
    MayWithdraw,
    Operator,
    Referrer,
    UowDep,
)
from referral.entrypoints.schemas.answers import (
    DetailsCorrected,
    DischargeSummary,
    EntriesCorrected,
    Identities,
    ListedStatus,
    ReferralCreated,
    ReferralDetail,
    ReferralPage,
    ReferralSummary,
    UnservedPage,
)
from referral.entrypoints.schemas.requests import (
    DeclineIn,
    PatientDetailsIn,
    PracticeMoveIn,
    ReferralCreate,
    ReferralEntriesIn,
    WithdrawalIn,
)
from referral.service_layer import corrections, entry_corrections, intake, lifecycle, views

router = APIRouter(prefix="/referrals", tags=["referrals"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ReferralCreated,
    summary="Receive a referral",
    responses=responses(401, 403, 409),
)
def create_referral(
    body: ReferralCreate, principal: Referrer, uow: UowDep, request: Request, idempotency_key: web.IdempotencyKey = None
) -> Response:
    """Receive a referral; it is assessed and, if eligible, allocated in the same request. 422 lists
    every malformed field. A person whose data was erased is referred as a new patient."""

    def own_practice() -> None:
        if body.practice_ods_code.strip().upper() != principal.practice:
            raise Forbidden("a referrer may refer only from their own practice")

    def write() -> tuple[int, Any]:
        # answered from the state just stored: no read back while the provider's allocation lock is held
        return 201, _created(intake.receive_referral(uow, body.to_intake()).referral, principal, uow.pseudonym_key)

    return web.idempotent_write(
        uow, request, principal, idempotency_key, body.model_dump(mode="json"), write, access=own_practice
    )


@router.get("", response_model=ReferralPage, summary="List referrals", responses=responses(401, 403))
def list_referrals(
    principal: PrincipalDep,
    cur: web.CursorDep,
    request: Request,
    status_: Annotated[
        ListedStatus | None,
        Query(
            alias="status",
            description="A referrer's `accepted` lists eligible and allocated; a referrer asking for `eligible` or"
            " `allocated`, or another role for `accepted`, is refused 422.",
        ),
    ] = None,
    practice: str | None = None,
    provider_id: UUID | None = None,
    link_worker_id: UUID | None = None,
    page: PageNumber = 1,
    page_size: Annotated[int | None, Query(ge=1, le=500)] = None,
) -> dict[str, Any]:
    """Referrals in order of receipt, filtered, paginated, within the caller's scope (never identifiable;
    no clinical content for operators and services; finance 403). A filter only narrows the scope.
    `status=accepted` is a referrer's (eligible and allocated, until first contact); a referrer asking
    for `eligible` or `allocated`, or another role for `accepted`, is refused 422 (docs/security.md §3.1)."""
    size = page_size or request.app.state.settings.page_size
    wanted = ReferralFilter(
        statuses=views.statuses_listed(principal, status_.value if status_ else None),
        practice=practice,
        provider_id=provider_id,
        link_worker_id=link_worker_id,
    )
    items, total = views.scoped_list(cur, principal, _key(request), wanted, page, size)
    return {"items": items, "page": page, "page_size": size, "total": total}


@router.get(
    "/unserved",
    response_model=UnservedPage,
    summary="Referrals waiting for a provider",
    responses=responses(401, 403),
)
def list_unserved(
    principal: Operator,
    cur: web.CursorDep,
    request: Request,
    page: PageNumber = 1,
    page_size: Annotated[int | None, Query(ge=1, le=500)] = None,
) -> dict[str, Any]:
    """Eligible referrals from participating practices that no provider serves yet, oldest first
    (operators only: they give the practice a provider; never identifiable, no clinical content). They
    are allocated, oldest first, when the practice is given a provider (`PATCH /practices/{ods_code}`)."""
    size = page_size or request.app.state.settings.page_size
    items, total = views.unserved_queue(cur, principal, _key(request), page, size)
    return {"items": items, "page": page, "page_size": size, "total": total}


IDENTITIES_ASKED = 100  # ids per call: the query string stays well within a request line's limits


@router.get(
    "/identities",
    response_model=Identities,
    summary="The patients of several referrals",
    responses=responses(401, 403, 422),
)
def get_identities(
    principal: PrincipalDep,
    uow: UowDep,
    referral_id: Annotated[list[UUID], Query(min_length=1, max_length=IDENTITIES_ASKED)],
) -> dict[str, Any]:
    """One read for a list's names (`?referral_id=...&referral_id=...`, at most 100): the patient of
    each referral the caller may see, in the order asked, each opening audited as `GET
    /referrals/{id}` audits it (one `access_audit` row per referral, in this one transaction). The
    referrer, the link worker and the provider's manager only (others 403); an unknown or
    out-of-scope referral is left out, as its own read would be 404."""
    return {"items": views.identities(uow, principal, referral_id)}


@router.get("/{referral_id}", response_model=ReferralDetail, summary="One referral", responses=responses(401, 403, 404))
def get_referral(referral_id: UUID, principal: PrincipalDep, uow: UowDep) -> dict[str, Any]:
    """One referral; identifiable fields and clinical content only for those allowed (the referrer, the
    link worker, the provider's manager), and every opening of identifiable fields is audited. A
    referral outside the caller's scope is 404, like an unknown one; finance 403."""
    return views.referral_view(uow, principal, referral_id)


@router.get(
    "/{referral_id}/discharge-summary",
    response_model=DischargeSummary,
    summary="The discharge summary",
    responses=responses(401, 403, 404),
)
def get_discharge_summary(referral_id: UUID, principal: PrincipalDep, cur: web.CursorDep, request: Request) -> Any:
    """The summary sent to the GP and referrer when the episode ended (dates, codes, counts): the
    referrer, the link worker and the provider's manager (clinical content: 403 for other roles); 404
    while the episode is open."""
    views.ensure_reader(principal, views.CARERS)
    summary = views.discharge_summary(cur, principal, _key(request), views.visible_row(cur, principal, referral_id))
    if summary is None:
        if views.visible_row(cur, principal, referral_id)["status"] == "withdrawn":
            raise NotFound("the referral was withdrawn as made in error: there is no discharge summary")
        raise NotFound("the referral is still open: no discharge summary yet")
    return summary


@router.post(
    "/{referral_id}/decline",
    response_model=ReferralSummary,
    summary="The patient declines",
    responses=responses(401, 403, 404, 409),
)
def decline_referral(
    referral_id: UUID,
    body: DeclineIn,
    principal: MayDecline,
    uow: UowDep,
    request: Request,
    idempotency_key: web.IdempotencyKey = None,
) -> Response:
    """The patient declines the service (allowed from eligible onwards; 409 once the episode ended)."""

    def write() -> tuple[int, Any]:
        lifecycle.decline(uow, referral_id, body.reason, body.note, body.declined_on)
        return 200, views.shown(
            uow.cur, principal, uow.pseudonym_key, views.visible_row(uow.cur, principal, referral_id)
        )

    return web.idempotent_write(
        uow,
        request,
        principal,
        idempotency_key,
        body.model_dump(mode="json"),
        write,
        access=lambda: views.visible_row(uow.cur, principal, referral_id),
    )


@router.post(
    "/{referral_id}/withdrawal",
    response_model=ReferralSummary,
    summary="Withdraw a referral made in error",
    responses=responses(401, 403, 404, 409),
)
def withdraw_referral(
    referral_id: UUID,
    body: WithdrawalIn,
    principal: MayWithdraw,
    uow: UowDep,
    request: Request,
    idempotency_key: web.IdempotencyKey = None,
) -> Response:
    """Withdraw an open referral made in error, with a reason (the referrer of its practice, its
    provider's manager; link workers, operators, finance and services 403): `ReferralWithdrawn`, no
    discharge summary, no outcome; its case (if open) is withdrawn too. 422 `withdrawn_on` in the
    future, before the programme's start; 409 once the episode ended or dated before its last change
    (before first contact, before its assessment, allocated or not)."""

    def write() -> tuple[int, Any]:
        lifecycle.withdraw(uow, referral_id, body.reason, body.withdrawn_on)
        return 200, views.shown(uow.cur, principal, uow.pseudonym_key, views.referral_row_or_404(uow.cur, referral_id))

    return web.idempotent_write(
        uow,
        request,
        principal,
        idempotency_key,
        body.model_dump(mode="json"),
        write,
        access=lambda: views.visible_row(uow.cur, principal, referral_id),
    )


@router.post(
    "/{referral_id}/patient-details",
    response_model=DetailsCorrected,
    summary="Correct the patient's details",
    responses=responses(401, 403, 404, 409),
)
def correct_patient_details(
    referral_id: UUID,
    body: PatientDetailsIn,
    principal: MayCorrect,
    uow: UowDep,
    request: Request,
    idempotency_key: web.IdempotencyKey = None,
) -> Response:
    """Correct the patient's name, address, postcode, phone or email on an open referral (the referrer
    of its practice, its link worker, its provider's manager): each value is checked as at intake
    (422 per field), sealed with the patient's key (`PatientDetailsCorrected`) and the change audited.
    409 once the episode has ended or the patient was erased."""

    def write() -> tuple[int, Any]:
        corrections.correct_patient_details(uow, principal, referral_id, body.reason, body.values())
        corrected = [name for name, value in body.values().items() if value is not None]
        row = views.visible_row(uow.cur, principal, referral_id)
        return 200, {
            "referral_id": referral_id,
            "patient_id": views.shown_patient_id(principal, uow.pseudonym_key, row["patient_id"]),
            "corrected": corrected,
            "reason": body.reason.value,
            "corrected_on": uow.today,
        }

    return web.idempotent_write(
        uow,
        request,
        principal,
        idempotency_key,
        body.model_dump(mode="json"),
        write,
        access=lambda: views.visible_row(uow.cur, principal, referral_id),
    )


@router.post(
    "/{referral_id}/entries",
    response_model=EntriesCorrected,
    summary="Correct the referral's entries",
    responses=responses(401, 403, 404, 409),
)
def correct_referral_entries(
    referral_id: UUID,
    body: ReferralEntriesIn,
    principal: MayCorrectEntries,
    uow: UowDep,
    request: Request,
    idempotency_key: web.IdempotencyKey = None,
) -> Response:
    """Correct a data-entry error in an open referral's own entries: conditions, mental-health needs,
    referral date, referrer, the referrer's reason (the referrer of its practice, its provider's
    manager; link workers, operators, finance and services 403). Eligibility's criteria on the
    entries are judged again: a referral not yet contacted (waiting or allocated) that now fails one
    ends as ineligible (`status: ineligible`); after first contact it goes on, the criteria listed. 422
    per entry; 409 once the episode has ended, when nothing changes, or for a referral date after the
    case opened (for the referrer, after the day it was assessed). docs/domain.md §3.5."""

    def write() -> tuple[int, Any]:
        after, result = entry_corrections.correct_referral_entries(uow, principal, referral_id, body.to_correction())
        return 200, {
            "referral_id": referral_id,
            "status": views.status_shown(principal, str(after.status)),
            "corrected": result.corrected,
            "corrected_on": result.corrected_on,
            "criteria_failed": result.criteria_failed,
        }

    return web.idempotent_write(
        uow,
        request,
        principal,
        idempotency_key,
        body.model_dump(mode="json"),
        write,
        access=lambda: views.visible_row(uow.cur, principal, referral_id),
    )


@router.post(
    "/{referral_id}/practice",
    response_model=ReferralSummary,
    summary="The patient moved practice",
    responses=responses(401, 403, 404, 409),
)
def move_practice(
    referral_id: UUID,
    body: PracticeMoveIn,
    principal: MayCorrect,
    uow: UowDep,
    request: Request,
    idempotency_key: web.IdempotencyKey = None,
) -> Response:
    """The patient of an open referral registered with another participating practice (the referrer
    of its practice, its link worker, its provider's manager). A referral still waiting joins the new
    practice's provider queue (and may be allocated at once); an allocated case is kept by its link
    worker. 422 for an unknown or the same practice or a bad date; 409 for a practice that does not
    take part or an episode that has ended."""

    def write() -> tuple[int, Any]:
        corrections.move_practice(uow, referral_id, body.practice_ods_code, body.moved_on)
        return 200, views.shown(uow.cur, principal, uow.pseudonym_key, views.referral_row_or_404(uow.cur, referral_id))

    return web.idempotent_write(
        uow,
        request,
        principal,
        idempotency_key,
        body.model_dump(mode="json"),
        write,
        access=lambda: views.visible_row(uow.cur, principal, referral_id),
    )


def _key(request: Request) -> bytes:
    key: bytes = request.app.state.settings.pseudonym_key
    return key


def _created(referral: Referral, principal: Principal, key: bytes) -> dict[str, Any]:
    """Its practice is answered `accepted` whether it was allocated in this request or waits (a referral
    just received has had no first contact): who holds it is not said (docs/security.md §3.1)."""
    assert referral.status is not None
    return {
        "referral_id": referral.referral_id,
        "patient_id": views.shown_patient_id(principal, key, referral.patient_id),
        "status": views.status_shown(principal, referral.status),
        "eligibility": {
            "eligible": not referral.ineligibility_reasons,
            "reasons": [r.model_dump(mode="json") for r in referral.ineligibility_reasons],
        },
        "provider_id": None,
        "link_worker_id": None,
    }
