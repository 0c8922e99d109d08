"""Read side: one case in full (folded from its events, with its stored texts), and the case list.

The case's free texts (goal wording and notes, attempt notes, void and extension reasons) are shown
only to the link worker holding it and its provider's managers, and each such read writes an audit
row in the answer's transaction (docs/security.md); the platform's services read cases without them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from contracts.engagement import ContactAttemptFailed, ContactRecorded
from contracts.roles import Role
from engagement.adapters import case_texts, local_copies, read_model
from engagement.adapters.case_store import load_case
from engagement.domain import (
    Case,
    covered_until,
    extended_until,
    first_contact_due,
    first_contact_met,
    first_contact_on,
    first_contact_overdue,
    is_past_limit,
    is_review_overdue,
    limit_date,
    review_due_on,
    star_history,
)
from engagement.service_layer import casework_views
from engagement.service_layer.access import READERS, TEXT_READERS, ensure_role, ensure_visible, scope_of
from engagement.service_layer.unit_of_work import EngagementUnitOfWork
from linkwell_runtime.audit import READ_CASE_TEXT, record_access
from linkwell_runtime.auth import Principal
from linkwell_runtime.refusals import Forbidden
from linkwell_runtime.repository import payloads


def case_view(uow: EngagementUnitOfWork, who: Principal, case_id: UUID) -> dict[str, Any]:
    ensure_role(who, READERS)
    case, envelopes = load_case(uow.events, case_id)
    ensure_visible(who, case)
    events = payloads(envelopes)
    texts = _texts_read(uow, who, case)
    return {
        **_summary(case, uow),
        **casework_views.casework_summary(case, uow.today),
        "preferences": casework_views.preferences(envelopes, texts),
        "safeguarding_concerns": casework_views.concerns(who, case, envelopes, texts),
        "contacts": [_contact(p) for p in events if isinstance(p, ContactRecorded)],
        "contact_attempts": [_attempt(p, texts) for p in events if isinstance(p, ContactAttemptFailed)],
        "goals": [{**_goal(g, texts), "steps": casework_views.steps_of(case, g, texts, uow.today)} for g in case.goals],
        "stars": _stars(case, texts),
        "linkages": _linkages(uow, case),
        "extensions": [
            {
                "extended_on": e.extended_on,
                "review_on": e.review_on,
                "reason": t["body"] if (t := _nth_text(texts, "extension_reason", i)) else None,
            }
            for i, e in enumerate(case.extensions)
        ],
        "discharge": None
        if case.discharged_on is None
        else {
            "discharged_on": case.discharged_on,
            "reason": case.discharge_reason.value if case.discharge_reason else None,
        },
    }


def _texts_read(uow: EngagementUnitOfWork, who: Principal, case: Case) -> list[dict]:
    """The case's free texts for a caller who may read them, audited with the answer; none otherwise."""
    if who.role not in TEXT_READERS or case.case_id is None or case.patient_id is None:
        return []
    texts = case_texts.texts(uow.cur, uow.settings.key_encryption_keys, case.case_id)
    shown = sorted({t["kind"] for t in texts})
    record_access(uow.cur, who, READ_CASE_TEXT, case.patient_id, shown, uow.now, referral_id=case.case_id)
    return texts


def _summary(case: Case, uow: EngagementUnitOfWork) -> dict[str, Any]:
    due = review_due_on(case)
    return {
        "case_id": case.case_id,
        "version": case.version,
        "status": case.status.value,
        "patient_id": case.patient_id,
        "provider_id": case.provider_id,
        "link_worker_id": case.link_worker_id,
        "practice_ods_code": case.practice_ods_code,
        "opened_on": case.opened_on,
        "contacted_on": case.contacted_on,
        "engaged_on": case.engaged_on,
        "unable_to_contact_on": case.unable_to_contact_on,
        "review": {
            "due_on": due,
            "is_due": due is not None and uow.today >= due,
            "is_overdue": is_review_overdue(case, uow.today),
        },
        "first_contact": {
            "due_on": first_contact_due(case),
            "made_on": first_contact_on(case),
            "met": first_contact_met(case),
            "is_overdue": first_contact_overdue(case, uow.today),
        },
        "time_limit": {
            "limit_on": limit_date(case),
            "extended_until": extended_until(case),
            "covered_until": covered_until(case),
            "is_past_limit": is_past_limit(case, uow.today),
        },
    }


def _contact(p: ContactRecorded) -> dict[str, Any]:
    return {
        "contact_id": p.contact_id,
        "occurred_at": p.occurred_at,
        "mode": p.mode.value,
        "duration_minutes": p.duration_minutes,
        "venue": p.venue.value if p.venue else None,
        "attended": p.attended,
    }


def _attempt(p: ContactAttemptFailed, texts: list[dict]) -> dict[str, Any]:
    note = next((t["body"] for t in texts if t["subject_id"] == p.attempt_id), None)
    return {"attempt_id": p.attempt_id, "occurred_at": p.occurred_at, "note": note}


def _goal(g, texts: list[dict]) -> dict[str, Any]:
    mine = [t for t in texts if t["subject_id"] == g.goal_id]
    return {
        "goal_id": g.goal_id,
        "status": g.status.value,
        "star_areas": [a.value for a in g.star_areas],
        "target_date": g.target_date,
        "agreed_on": g.agreed_on,
        "supersedes_goal_id": g.supersedes_goal_id,
        "description": next((t["body"] for t in mine if t["kind"] == "goal_description"), None),
        "history": [{"from_status": h.from_status, "to_status": h.to_status, "on": h.on} for h in g.history],
        "notes": [{"note": t["body"], "recorded_at": t["recorded_at"]} for t in mine if t["kind"] == "goal_note"],
    }


def _stars(case: Case, texts: list[dict]) -> list[dict[str, Any]]:
    current = {s.star_id: s for s in star_history(case)}
    out = []
    for s in sorted(case.stars, key=lambda s: s.taken_on):
        now = current.get(s.star_id)
        reasons = {t["kind"]: t["body"] for t in texts if t["subject_id"] == s.star_id}
        out.append(
            {
                "star_id": s.star_id,
                "taken_on": s.taken_on,
                "kind": now.kind.value if now else None,
                "recorded_kind": s.recorded_kind.value,
                "scores": s.current_scores.model_dump(),
                "total": s.current_scores.total,
                "voided_on": s.voided_on,
                "void_reason": reasons.get("void_reason"),
                "original_scores": s.scores.model_dump(),
                "corrections": [
                    {"scores": c.scores.model_dump(), "total": c.scores.total, "corrected_on": c.corrected_on}
                    for c in s.corrections
                ],
            }
        )
    return out


def _linkages(uow: EngagementUnitOfWork, case: Case) -> list[dict[str, Any]]:
    names = local_copies.service_names(uow.cur, [k.service_id for k in case.linkages])
    return [
        {
            "linkage_id": k.linkage_id,
            "service_id": k.service_id,
            "service_name": names.get(k.service_id, (None, None))[0],
            "service_status": names.get(k.service_id, (None, None))[1],
            "category": k.category.value,
            "status": k.status.value,
            "made_on": k.made_on,
            "history": [{"from_status": h.from_status, "to_status": h.to_status, "on": h.on} for h in k.history],
        }
        for k in case.linkages
    ]


def _nth_text(texts: list[dict], kind: str, n: int) -> dict | None:
    of_kind = [t for t in texts if t["kind"] == kind]
    return of_kind[n] if n < len(of_kind) else None


def list_cases(
    uow: EngagementUnitOfWork,
    who: Principal,
    *,
    link_worker_id: UUID | None,
    status: str | None,
    due_for_review: bool | None,
    past_limit: bool | None,
    page: int,
    first_contact: str | None = None,
    safeguarding: str | None = None,
) -> dict[str, Any]:
    """Only what the caller may see: a link worker their caseload, a manager their provider's."""
    ensure_role(who, READERS)
    scope = scope_of(who)
    provider_id = None
    if who.role is Role.LINK_WORKER:
        if link_worker_id is not None and link_worker_id != scope.link_worker_id:
            raise Forbidden("a link worker sees only their own caseload")
        link_worker_id = scope.link_worker_id
    elif who.role is Role.PROVIDER_MANAGER:
        provider_id = scope.provider_id
    if who.role is not Role.SERVICE and link_worker_id is None and provider_id is None:
        raise Forbidden("the token's scope names no link worker or provider")
    f = read_model.CaseFilter(
        today=uow.today,
        link_worker_id=link_worker_id,
        provider_id=provider_id,
        status=status,
        due_for_review=due_for_review,
        past_limit=past_limit,
        first_contact=first_contact,
        safeguarding=safeguarding,
    )
    size = uow.settings.page_size
    total, rows = read_model.list_cases(uow.cur, f, page=page, page_size=size)
    items = [
        {
            **r,
            "review_overdue": r["review_due_on"] is not None and uow.today > r["review_due_on"],
            "action_steps_overdue": r["next_step_due_on"] is not None and uow.today > r["next_step_due_on"],
        }
        for r in rows
    ]
    return {"items": items, "page": page, "page_size": size, "total": total}
