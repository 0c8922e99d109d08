"""A link worker's open cases as the "what needs me today" list needs them (issue 19): per case its
failed attempts, goals, action steps and linkages, in codes and dates only (no free text, so no audit
row, and nothing a list row does not already imply). The console decides what is due from these."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from contracts.roles import Role
from engagement.adapters import local_copies, read_model
from engagement.adapters.case_store import load_current
from engagement.domain import ATTEMPT_WINDOW_DAYS, ATTEMPTS_NEEDED, Case, CaseStatus
from engagement.service_layer.access import ensure_role, scope_of
from engagement.service_layer.unit_of_work import EngagementUnitOfWork
from linkwell_runtime.auth import Principal
from linkwell_runtime.refusals import Forbidden

OPEN_STATUSES = (CaseStatus.ALLOCATED, CaseStatus.CONTACTED, CaseStatus.ENGAGED)
_LIST_PAGE = 500  # a caseload is bounded by the link worker's capacity; read it in few round trips


def caseload_attention(uow: EngagementUnitOfWork, who: Principal) -> dict[str, Any]:
    """The caller's own open cases (a link worker only: this is their day, not a manager's view)."""
    ensure_role(who, frozenset({Role.LINK_WORKER}))
    worker = scope_of(who).link_worker_id
    if worker is None:
        raise Forbidden("the token's scope names no link worker")
    case_ids: list[UUID] = []
    for status in OPEN_STATUSES:
        page = 1
        while True:
            f = read_model.CaseFilter(today=uow.today, link_worker_id=worker, status=status.value)
            total, rows = read_model.list_cases(uow.cur, f, page=page, page_size=_LIST_PAGE)
            case_ids += [r["case_id"] for r in rows]
            if page * _LIST_PAGE >= total:
                break
            page += 1
    cases = [load_current(uow.events, case_id, uow.cases) for case_id in case_ids]
    cases = [c for c in cases if c.is_open and c.link_worker_id == worker]  # the fold, not the row, decides
    names = local_copies.service_names(uow.cur, [k.service_id for c in cases for k in c.linkages])
    return {
        "today": uow.today,
        "unable_to_contact_rule": {"attempts_needed": ATTEMPTS_NEEDED, "window_days": ATTEMPT_WINDOW_DAYS},
        "items": [_attention(c, names) for c in cases],
    }


def _attention(case: Case, names: dict) -> dict[str, Any]:
    failed = sorted(a.on for a in case.failed_attempts)
    return {
        "case_id": case.case_id,
        "status": case.status.value,
        "attempts": {
            "failed": len(failed),
            "first_failed_on": failed[0] if failed else None,
            "last_failed_on": failed[-1] if failed else None,
            "attended_contacts": case.attended_contacts_count,
        },
        "goals": [
            {"goal_id": g.goal_id, "status": g.status.value, "target_date": g.target_date, "is_open": g.is_open}
            for g in case.goals
        ],
        "steps": [
            {"step_id": s.step_id, "goal_id": s.goal_id, "status": s.status.value, "due_on": s.due_on}
            for s in case.steps
            if s.is_open
        ],
        "linkages": [
            {
                "linkage_id": k.linkage_id,
                "service_id": k.service_id,
                "service_name": names.get(k.service_id, (None, None))[0],
                "category": k.category.value,
                "status": k.status.value,
                "since": k.last_changed_on,
            }
            for k in case.linkages
        ],
    }
