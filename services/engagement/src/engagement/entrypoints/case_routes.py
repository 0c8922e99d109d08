"""Case routes (ARCHITECTURE §5, engagement): thin: parse, call the handler, answer."""
from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from engagement.entrypoints import schemas as s
from engagement.entrypoints.dependencies import IdempotencyKey, UowDep, idempotent_write
from engagement.domain import CaseStatus
from engagement.service_layer import handlers, views
from linkwell_runtime.auth import PrincipalDep
from linkwell_runtime.input_guards import PageNumber

router = APIRouter(prefix="/cases", tags=["cases"])


@router.get("")
def list_cases(uow: UowDep, who: PrincipalDep, link_worker_id: UUID | None = None,
               status: CaseStatus | None = None, due_for_review: bool | None = None, past_limit: bool | None = None,
               page: PageNumber = 1) -> dict[str, Any]:
    """Cases the caller may see; `due_for_review` (a review due today or overdue), `past_limit`."""
    return views.list_cases(uow, who, link_worker_id=link_worker_id, status=None if status is None else status.value,
                            due_for_review=due_for_review, past_limit=past_limit, page=page)


@router.get("/{case_id}")
def get_case(case_id: UUID, uow: UowDep, who: PrincipalDep) -> dict[str, Any]:
    """One case with its contacts, attempts, goals, Stars, linkages, extensions and discharge."""
    return views.case_view(uow, who, case_id)


def _write(uow, request: Request, who, key, body, write, status: int = 201) -> JSONResponse:
    return idempotent_write(uow, request, who, key, body.model_dump(mode="json"), write, status)


@router.post("/{case_id}/contacts", status_code=201)
def record_contact(case_id: UUID, body: s.ContactCreate, request: Request, uow: UowDep, who: PrincipalDep,
                   key: IdempotencyKey = None) -> JSONResponse:
    """A contact, attended or did-not-attend; the first attended one makes the case contacted."""
    return _write(uow, request, who, key, body, lambda: handlers.record_contact(uow, who, case_id, **body.model_dump()))


@router.post("/{case_id}/contact-attempts", status_code=201)
def record_attempt(case_id: UUID, body: s.ContactAttemptCreate, request: Request, uow: UowDep, who: PrincipalDep,
                   key: IdempotencyKey = None) -> JSONResponse:
    """A failed attempt to reach the patient (three over 28 days, none successful: unable to contact)."""
    return _write(uow, request, who, key, body, lambda: handlers.record_attempt(uow, who, case_id, **body.model_dump()))


@router.post("/{case_id}/goals", status_code=201)
def agree_goal(case_id: UUID, body: s.GoalCreate, request: Request, uow: UowDep, who: PrincipalDep,
               key: IdempotencyKey = None) -> JSONResponse:
    """A goal in the patient's words, linked to Star areas, agreed on `agreed_on` (default today)."""
    return _write(uow, request, who, key, body, lambda: handlers.agree_goal(uow, who, case_id, **body.model_dump()))


@router.patch("/{case_id}/goals/{goal_id}")
def update_goal(case_id: UUID, goal_id: UUID, body: s.GoalPatch, request: Request, uow: UowDep, who: PrincipalDep,
                key: IdempotencyKey = None) -> JSONResponse:
    """Move a goal on; `revised` may carry its replacement."""
    return _write(uow, request, who, key, body,
                  lambda: handlers.update_goal(uow, who, case_id, goal_id, **body.model_dump()), 200)


@router.post("/{case_id}/stars", status_code=201)
def record_star(case_id: UUID, body: s.StarCreate, request: Request, uow: UowDep, who: PrincipalDep,
                key: IdempotencyKey = None) -> JSONResponse:
    """A Well-being Star: the first is the baseline (the case is engaged), later ones reviews."""
    return _write(uow, request, who, key, body, lambda: handlers.record_star(uow, who, case_id, **body.model_dump()))


@router.post("/{case_id}/stars/{star_id}/correction", status_code=201)
def correct_star(case_id: UUID, star_id: UUID, body: s.StarCorrection, request: Request, uow: UowDep,
                 who: PrincipalDep, key: IdempotencyKey = None) -> JSONResponse:
    """New scores for a Star from `corrected_on` (default today); the original is kept."""
    return _write(uow, request, who, key, body,
                  lambda: handlers.correct_star(uow, who, case_id, star_id, **body.model_dump()))


@router.post("/{case_id}/stars/{star_id}/void", status_code=201)
def void_star(case_id: UUID, star_id: UUID, body: s.StarVoid, request: Request, uow: UowDep, who: PrincipalDep,
              key: IdempotencyKey = None) -> JSONResponse:
    """The Star no longer counts; the original is kept."""
    return _write(uow, request, who, key, body,
                  lambda: handlers.void_star(uow, who, case_id, star_id, **body.model_dump()))


@router.post("/{case_id}/linkages", status_code=201)
def make_linkage(case_id: UUID, body: s.LinkageCreate, request: Request, uow: UowDep, who: PrincipalDep,
                 key: IdempotencyKey = None) -> JSONResponse:
    """Suggest a directory service (known and not defunct) in a category."""
    return _write(uow, request, who, key, body, lambda: handlers.make_linkage(uow, who, case_id, **body.model_dump()))


@router.patch("/{case_id}/linkages/{linkage_id}")
def update_linkage(case_id: UUID, linkage_id: UUID, body: s.LinkagePatch, request: Request, uow: UowDep,
                   who: PrincipalDep, key: IdempotencyKey = None) -> JSONResponse:
    """Move a linkage on: suggested → referred → attended | declined | did_not_start."""
    return _write(uow, request, who, key, body,
                  lambda: handlers.update_linkage(uow, who, case_id, linkage_id, **body.model_dump()), 200)


@router.post("/{case_id}/extension", status_code=201)
def extend(case_id: UUID, body: s.ExtensionCreate, request: Request, uow: UowDep, who: PrincipalDep,
           key: IdempotencyKey = None) -> JSONResponse:
    """Keep the case open past its two-year limit, with a reason and a review date."""
    return _write(uow, request, who, key, body, lambda: handlers.extend(uow, who, case_id, **body.model_dump()))


@router.post("/{case_id}/discharge", status_code=201)
def discharge(case_id: UUID, body: s.DischargeCreate, request: Request, uow: UowDep, who: PrincipalDep,
              key: IdempotencyKey = None) -> JSONResponse:
    """End the case with a reason; no further contacts, Stars or linkages."""
    return _write(uow, request, who, key, body, lambda: handlers.discharge(uow, who, case_id, **body.model_dump()))


@router.post("/{case_id}/reassignment", status_code=201)
def reassign(case_id: UUID, body: s.ReassignmentCreate, request: Request, uow: UowDep, who: PrincipalDep,
             key: IdempotencyKey = None) -> JSONResponse:
    """Hand the case to another active link worker of the same provider."""
    return _write(uow, request, who, key, body, lambda: handlers.reassign(uow, who, case_id, **body.model_dump()))
