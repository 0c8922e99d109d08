"""The link worker's work in a case (docs/architecture.md §5, engagement): contacts and attempts, goals, Stars,
linkages; recorded by the link worker holding the case only. Thin: parse, call the service layer, answer."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response

from engagement.entrypoints.case_writes import WRITE_REFUSALS, Uow, write
from engagement.entrypoints.schemas import answers as a
from engagement.entrypoints.schemas import bodies as b
from engagement.service_layer import handlers
from engagement.service_layer.access import may_record
from linkwell_runtime import web
from linkwell_runtime.auth import PrincipalDep

router = APIRouter(prefix="/cases/{case_id}", responses=WRITE_REFUSALS)


@router.post(
    "/contacts", status_code=201, response_model=a.ContactRecordedAnswer, tags=["contacts"], summary="Record a contact"
)
def record_contact(
    case_id: UUID, body: b.ContactCreate, request: Request, uow: Uow, who: PrincipalDep, key: web.IdempotencyKey = None
) -> Response:
    """A contact, attended or did-not-attend; the first attended one makes the case contacted."""
    return write(
        uow,
        request,
        who,
        key,
        body,
        a.ContactRecordedAnswer,
        may_record(uow, who, case_id),
        lambda: handlers.record_contact(uow, who, case_id, **body.model_dump()),
    )


@router.post(
    "/contact-attempts",
    status_code=201,
    response_model=a.AttemptRecordedAnswer,
    tags=["contacts"],
    summary="Record a failed attempt to reach the patient",
)
def record_attempt(
    case_id: UUID,
    body: b.ContactAttemptCreate,
    request: Request,
    uow: Uow,
    who: PrincipalDep,
    key: web.IdempotencyKey = None,
) -> Response:
    """Three over 28 days, none successful: unable to contact."""
    return write(
        uow,
        request,
        who,
        key,
        body,
        a.AttemptRecordedAnswer,
        may_record(uow, who, case_id),
        lambda: handlers.record_attempt(uow, who, case_id, **body.model_dump()),
    )


@router.post("/goals", status_code=201, response_model=a.GoalAgreedAnswer, tags=["goals"], summary="Agree a goal")
def agree_goal(
    case_id: UUID, body: b.GoalCreate, request: Request, uow: Uow, who: PrincipalDep, key: web.IdempotencyKey = None
) -> Response:
    """A goal in the patient's words, linked to Star areas, agreed on `agreed_on` (default today)."""
    return write(
        uow,
        request,
        who,
        key,
        body,
        a.GoalAgreedAnswer,
        may_record(uow, who, case_id),
        lambda: handlers.agree_goal(uow, who, case_id, **body.model_dump()),
    )


@router.patch("/goals/{goal_id}", response_model=a.GoalChangedAnswer, tags=["goals"], summary="Move a goal on")
def update_goal(
    case_id: UUID,
    goal_id: UUID,
    body: b.GoalPatch,
    request: Request,
    uow: Uow,
    who: PrincipalDep,
    key: web.IdempotencyKey = None,
) -> Response:
    """In progress, achieved, abandoned, or `revised` (which may carry its replacement)."""
    return write(
        uow,
        request,
        who,
        key,
        body,
        a.GoalChangedAnswer,
        may_record(uow, who, case_id),
        lambda: handlers.update_goal(uow, who, case_id, goal_id, **body.model_dump()),
        status=200,
    )


@router.post(
    "/stars", status_code=201, response_model=a.StarRecordedAnswer, tags=["stars"], summary="Record a Well-being Star"
)
def record_star(
    case_id: UUID, body: b.StarCreate, request: Request, uow: Uow, who: PrincipalDep, key: web.IdempotencyKey = None
) -> Response:
    """The first is the baseline (the case is engaged), later ones reviews."""
    return write(
        uow,
        request,
        who,
        key,
        body,
        a.StarRecordedAnswer,
        may_record(uow, who, case_id),
        lambda: handlers.record_star(uow, who, case_id, **body.model_dump()),
    )


@router.post(
    "/stars/{star_id}/correction",
    status_code=201,
    response_model=a.StarCorrectedAnswer,
    tags=["stars"],
    summary="Correct a Star's scores",
)
def correct_star(
    case_id: UUID,
    star_id: UUID,
    body: b.StarCorrection,
    request: Request,
    uow: Uow,
    who: PrincipalDep,
    key: web.IdempotencyKey = None,
) -> Response:
    """New scores from `corrected_on` (default today); the original is kept."""
    return write(
        uow,
        request,
        who,
        key,
        body,
        a.StarCorrectedAnswer,
        may_record(uow, who, case_id),
        lambda: handlers.correct_star(uow, who, case_id, star_id, **body.model_dump()),
    )


@router.post(
    "/stars/{star_id}/void", status_code=201, response_model=a.StarVoidedAnswer, tags=["stars"], summary="Void a Star"
)
def void_star(
    case_id: UUID,
    star_id: UUID,
    body: b.StarVoid,
    request: Request,
    uow: Uow,
    who: PrincipalDep,
    key: web.IdempotencyKey = None,
) -> Response:
    """The Star no longer counts; the original is kept."""
    return write(
        uow,
        request,
        who,
        key,
        body,
        a.StarVoidedAnswer,
        may_record(uow, who, case_id),
        lambda: handlers.void_star(uow, who, case_id, star_id, **body.model_dump()),
    )


@router.post(
    "/linkages",
    status_code=201,
    response_model=a.LinkageMadeAnswer,
    tags=["linkages"],
    summary="Suggest a community service",
)
def make_linkage(
    case_id: UUID, body: b.LinkageCreate, request: Request, uow: Uow, who: PrincipalDep, key: web.IdempotencyKey = None
) -> Response:
    """A directory service (known and not defunct) in a category."""
    return write(
        uow,
        request,
        who,
        key,
        body,
        a.LinkageMadeAnswer,
        may_record(uow, who, case_id),
        lambda: handlers.make_linkage(uow, who, case_id, **body.model_dump()),
    )


@router.patch(
    "/linkages/{linkage_id}", response_model=a.LinkageChangedAnswer, tags=["linkages"], summary="Move a linkage on"
)
def update_linkage(
    case_id: UUID,
    linkage_id: UUID,
    body: b.LinkagePatch,
    request: Request,
    uow: Uow,
    who: PrincipalDep,
    key: web.IdempotencyKey = None,
) -> Response:
    """suggested → referred → attended | declined | did_not_start."""
    return write(
        uow,
        request,
        who,
        key,
        body,
        a.LinkageChangedAnswer,
        may_record(uow, who, case_id),
        lambda: handlers.update_linkage(uow, who, case_id, linkage_id, **body.model_dump()),
        status=200,
    )
