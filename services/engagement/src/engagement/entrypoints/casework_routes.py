"""Issue 18's case work (docs/architecture.md §5.2): consent and preferences and safeguarding
concerns (the holding link worker or the provider's managers), action-plan steps (the holding link
worker), and the list of safeguarding concerns. Thin: parse, call the service layer, answer."""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response

from engagement.entrypoints.case_writes import WRITE_REFUSALS, Uow, write
from engagement.entrypoints.schemas import casework as c
from engagement.service_layer import casework_handlers as handlers
from engagement.service_layer import casework_views
from engagement.service_layer.access import may_manage, may_record
from linkwell_runtime import problems, web
from linkwell_runtime.auth import PrincipalDep
from linkwell_runtime.input_guards import PageNumber

router = APIRouter(prefix="/cases/{case_id}", responses=WRITE_REFUSALS)
concerns_router = APIRouter(prefix="/safeguarding-concerns")


@router.post("/consents", status_code=201, response_model=c.ConsentAnswer, tags=["consent"], summary="Record a consent")
def record_consent(
    case_id: UUID, body: c.ConsentCreate, request: Request, uow: Uow, who: PrincipalDep, key: web.IdempotencyKey = None
) -> Response:
    """Consent to the service or to sharing outcomes with the GP: given, declined or withdrawn."""
    return write(
        uow,
        request,
        who,
        key,
        body,
        c.ConsentAnswer,
        may_manage(uow, who, case_id),
        lambda: handlers.record_consent(uow, who, case_id, **body.model_dump()),
    )


@router.put(
    "/preferences",
    response_model=c.PreferencesAnswer,
    tags=["consent"],
    summary="Record the patient's preferences",
)
def record_preferences(
    case_id: UUID, body: c.PreferencesPut, request: Request, uow: Uow, who: PrincipalDep, key: web.IdempotencyKey = None
) -> Response:
    """Contact modes and times, language and interpreter, accessibility needs: the whole set, which
    replaces the last (every set is kept)."""
    return write(
        uow,
        request,
        who,
        key,
        body,
        c.PreferencesAnswer,
        may_manage(uow, who, case_id),
        lambda: handlers.record_preferences(uow, who, case_id, **body.model_dump()),
        status=200,
    )


@router.post(
    "/safeguarding-concerns",
    status_code=201,
    response_model=c.ConcernRaisedAnswer,
    tags=["safeguarding"],
    summary="Raise a safeguarding concern",
)
def raise_concern(
    case_id: UUID, body: c.ConcernCreate, request: Request, uow: Uow, who: PrincipalDep, key: web.IdempotencyKey = None
) -> Response:
    """A category, a risk level, what was seen (kept in the service) and any immediate action."""
    return write(
        uow,
        request,
        who,
        key,
        body,
        c.ConcernRaisedAnswer,
        may_manage(uow, who, case_id),
        lambda: handlers.raise_concern(uow, who, case_id, **body.model_dump()),
    )


@router.post(
    "/safeguarding-concerns/{concern_id}/escalations",
    status_code=201,
    response_model=c.ConcernEscalatedAnswer,
    tags=["safeguarding"],
    summary="Escalate a safeguarding concern",
)
def escalate_concern(
    case_id: UUID,
    concern_id: UUID,
    body: c.EscalationCreate,
    request: Request,
    uow: Uow,
    who: PrincipalDep,
    key: web.IdempotencyKey = None,
) -> Response:
    """To another body, on a day; a closed concern cannot be escalated (409)."""
    return write(
        uow,
        request,
        who,
        key,
        body,
        c.ConcernEscalatedAnswer,
        may_manage(uow, who, case_id),
        lambda: handlers.escalate_concern(uow, who, case_id, concern_id, **body.model_dump()),
    )


@router.post(
    "/safeguarding-concerns/{concern_id}/closure",
    status_code=201,
    response_model=c.ConcernClosedAnswer,
    tags=["safeguarding"],
    summary="Close a safeguarding concern",
)
def close_concern(
    case_id: UUID,
    concern_id: UUID,
    body: c.ConcernClosure,
    request: Request,
    uow: Uow,
    who: PrincipalDep,
    key: web.IdempotencyKey = None,
) -> Response:
    """With an outcome; a closed concern is final (409 when closed again)."""
    return write(
        uow,
        request,
        who,
        key,
        body,
        c.ConcernClosedAnswer,
        may_manage(uow, who, case_id),
        lambda: handlers.close_concern(uow, who, case_id, concern_id, **body.model_dump()),
    )


@router.post(
    "/goals/{goal_id}/steps",
    status_code=201,
    response_model=c.StepAddedAnswer,
    tags=["goals"],
    summary="Add a step to a goal's action plan",
)
def add_step(
    case_id: UUID,
    goal_id: UUID,
    body: c.StepCreate,
    request: Request,
    uow: Uow,
    who: PrincipalDep,
    key: web.IdempotencyKey = None,
) -> Response:
    """What (kept in the service) and by when, under an open goal."""
    return write(
        uow,
        request,
        who,
        key,
        body,
        c.StepAddedAnswer,
        may_record(uow, who, case_id),
        lambda: handlers.add_step(uow, who, case_id, goal_id, **body.model_dump()),
    )


@router.patch(
    "/goals/{goal_id}/steps/{step_id}",
    response_model=c.StepChangedAnswer,
    tags=["goals"],
    summary="Move an action step on",
)
def update_step(
    case_id: UUID,
    goal_id: UUID,
    step_id: UUID,
    body: c.StepPatch,
    request: Request,
    uow: Uow,
    who: PrincipalDep,
    key: web.IdempotencyKey = None,
) -> Response:
    """planned → in_progress → done | dropped, and/or a new due date for an open step."""
    return write(
        uow,
        request,
        who,
        key,
        body,
        c.StepChangedAnswer,
        may_record(uow, who, case_id),
        lambda: handlers.update_step(uow, who, case_id, goal_id, step_id, **body.model_dump()),
        status=200,
    )


@concerns_router.get(
    "",
    response_model=c.ConcernPage,
    responses=problems.responses(401, 403),
    tags=["safeguarding"],
    summary="List the safeguarding concerns the caller may see",
)
def list_concerns(
    uow: Uow, who: PrincipalDep, status: Literal["open", "closed"] | None = "open", page: PageNumber = 1
) -> Any:
    """A provider manager: their organisation's; a link worker: those of their caseload. Open ones by
    default, highest risk first; codes and dates only."""
    return casework_views.list_concerns(uow, who, status=status, page=page)
