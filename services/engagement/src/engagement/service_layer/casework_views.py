"""Read side of issue 18: a case's consent, preferences, safeguarding concerns and action steps (for
its full view), and the list of safeguarding concerns a manager or link worker may see.

Free text comes from the texts the caller was shown (`views._texts_read`, audited); the platform's
services get none, and no safeguarding concern at all (least privilege: they need neither)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from contracts import Envelope
from contracts.casework import (
    ConsentKind,
    PreferencesRecorded,
    SafeguardingConcernEscalated,
)
from contracts.roles import Role
from engagement.adapters import read_model
from engagement.domain import (
    Case,
    GoalRecord,
    current_consent,
    highest_open_risk,
    is_step_overdue,
    next_step_due_on,
    open_concerns,
    overdue_steps,
    shares_outcomes_with_gp,
)
from engagement.service_layer.access import TEXT_READERS, ensure_role, scope_of
from engagement.service_layer.unit_of_work import EngagementUnitOfWork
from linkwell_runtime.auth import Principal
from linkwell_runtime.refusals import Forbidden

CONCERN_READERS = TEXT_READERS  # link workers (their caseload) and provider managers (their provider)


def casework_summary(case: Case, today: date) -> dict[str, Any]:
    """The coded parts every reader of the case sees (also the platform's services)."""
    risk = highest_open_risk(case)
    return {
        "consent": {
            "service": _consent(case, ConsentKind.SERVICE),
            "share_outcomes_with_gp": _consent(case, ConsentKind.SHARE_OUTCOMES_WITH_GP),
            "shares_outcomes_with_gp": shares_outcomes_with_gp(case),
            "history": [{"consent": c.consent, "state": c.state, "on": c.on} for c in case.consents],
        },
        "open_safeguarding_concerns": len(open_concerns(case)),
        "highest_open_risk": None if risk is None else risk.value,
        "action_steps": {"next_due_on": next_step_due_on(case), "overdue": len(overdue_steps(case, today))},
    }


def preferences(envelopes: Sequence[Envelope], texts: list[dict]) -> list[dict[str, Any]]:
    """Every set of preferences recorded, oldest first (the last stands), each with its note if shown."""
    out = []
    for envelope in envelopes:
        if envelope.event_type != PreferencesRecorded.event_type:
            continue
        p = PreferencesRecorded.model_validate(envelope.payload)
        out.append(
            {
                "recorded_on": p.recorded_on,
                "contact_modes": list(p.contact_modes),
                "contact_times": list(p.contact_times),
                "language": p.language,
                "interpreter_needed": p.interpreter_needed,
                "accessibility_needs": list(p.accessibility_needs),
                "accessibility_note": _text_of(texts, envelope.event_id, "accessibility_note"),
            }
        )
    return out


def concerns(
    who: Principal, case: Case, envelopes: Sequence[Envelope], texts: list[dict]
) -> list[dict[str, Any]] | None:
    if who.role not in CONCERN_READERS:
        return None
    escalations = [
        (e.event_id, SafeguardingConcernEscalated.model_validate(e.payload))
        for e in envelopes
        if e.event_type == SafeguardingConcernEscalated.event_type
    ]
    return [
        {
            "concern_id": c.concern_id,
            "status": "open" if c.is_open else "closed",
            "category": c.category.value,
            "risk_level": c.risk_level.value,
            "raised_on": c.raised_on,
            "immediate_action_taken": c.immediate_action_taken,
            "description": _subject_text(texts, c.concern_id, "safeguarding_description"),
            "immediate_action": _subject_text(texts, c.concern_id, "safeguarding_action"),
            "escalations": [
                {
                    "escalated_to": e.escalated_to.value,
                    "escalated_on": e.escalated_on,
                    "detail": _text_of(texts, event_id, "escalation_detail"),
                }
                for event_id, e in escalations
                if e.concern_id == c.concern_id
            ],
            "closed_on": c.closed_on,
            "outcome": None if c.outcome is None else c.outcome.value,
            "closure_note": _subject_text(texts, c.concern_id, "closure_note"),
        }
        for c in case.concerns
    ]


def steps_of(case: Case, goal: GoalRecord, texts: list[dict], today: date) -> list[dict[str, Any]]:
    return [
        {
            "step_id": s.step_id,
            "description": _subject_text(texts, s.step_id, "step_description"),
            "status": s.status.value,
            "due_on": s.due_on,
            "added_on": s.added_on,
            "is_overdue": is_step_overdue(case, s, today),
            "history": [
                {"from_status": h.from_status, "to_status": h.to_status, "due_on": h.due_on, "on": h.on}
                for h in s.history
            ],
        }
        for s in case.steps
        if s.goal_id == goal.goal_id
    ]


def list_concerns(uow: EngagementUnitOfWork, who: Principal, *, status: str | None, page: int) -> dict[str, Any]:
    """A provider manager: their organisation's concerns; a link worker: those of the cases they hold.
    Codes and dates only (no text, so no audit row)."""
    ensure_role(who, CONCERN_READERS)
    scope = scope_of(who)
    if who.role is Role.LINK_WORKER:
        f = read_model.ConcernFilter(_is_open(status), link_worker_id=scope.link_worker_id)
    else:
        f = read_model.ConcernFilter(_is_open(status), provider_id=scope.provider_id)
    if f.link_worker_id is None and f.provider_id is None:
        raise Forbidden("the token's scope names no link worker or provider")
    size = uow.settings.page_size
    total, rows = read_model.list_concerns(uow.cur, f, page=page, page_size=size)
    return {"items": rows, "page": page, "page_size": size, "total": total}


def _is_open(status: str | None) -> bool | None:
    return None if status is None else status == "open"


def _consent(case: Case, kind: ConsentKind) -> dict[str, Any] | None:
    latest = current_consent(case, kind)
    return None if latest is None else {"state": latest.state, "on": latest.on}


def _subject_text(texts: list[dict], subject_id: UUID, kind: str) -> str | None:
    return next((t["body"] for t in texts if t["subject_id"] == subject_id and t["kind"] == kind), None)


def _text_of(texts: list[dict], event_id: UUID, kind: str) -> str | None:
    return next((t["body"] for t in texts if t["event_id"] == event_id and t["kind"] == kind), None)
