"""Use cases of issue 18: consent and preferences, safeguarding concerns, action-plan steps. Each
returns the plain values the API answers with; the free text goes to `case_texts` beside its event
(never on Kafka), and no answer repeats it."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from engagement.domain import NotFound
from engagement.service_layer.access import CASE_MANAGERS, CONTENT_WRITERS
from engagement.service_layer.case_commands import change_case, keep_text, new_id
from engagement.service_layer.unit_of_work import EngagementUnitOfWork
from linkwell_runtime.auth import Principal


def record_consent(
    uow: EngagementUnitOfWork, who: Principal, case_id: UUID, *, consent: str, state: str, on: date | None = None
) -> dict[str, Any]:
    day = on or uow.today
    change_case(
        uow, who, case_id, CASE_MANAGERS, lambda case: case.record_consent(consent, state, on=day, today=uow.today)
    )
    return {"case_id": case_id, "consent": consent, "state": state, "on": day}


def record_preferences(
    uow: EngagementUnitOfWork,
    who: Principal,
    case_id: UUID,
    *,
    contact_modes: list[str],
    contact_times: list[str],
    language: str | None,
    interpreter_needed: bool,
    accessibility_needs: list[str],
    accessibility_note: str | None,
    recorded_on: date | None = None,
) -> dict[str, Any]:
    day = recorded_on or uow.today
    done = change_case(
        uow,
        who,
        case_id,
        CASE_MANAGERS,
        lambda case: case.record_preferences(
            contact_modes=contact_modes,
            contact_times=contact_times,
            language=language,
            interpreter_needed=interpreter_needed,
            accessibility_needs=accessibility_needs,
            accessibility_note=accessibility_note,
            on=day,
            today=uow.today,
        ),
    )
    keep_text(
        uow,
        done,
        subject_id=case_id,
        kind="accessibility_note",
        event_type="PreferencesRecorded",
        body=accessibility_note,
    )
    return {"case_id": case_id, "recorded_on": day}


def raise_concern(
    uow: EngagementUnitOfWork,
    who: Principal,
    case_id: UUID,
    *,
    category: str,
    risk_level: str,
    description: str,
    immediate_action: str | None,
    raised_on: date | None = None,
) -> dict[str, Any]:
    concern_id, day = new_id(), raised_on or uow.today
    done = change_case(
        uow,
        who,
        case_id,
        CASE_MANAGERS,
        lambda case: case.raise_concern(
            concern_id,
            category=category,
            risk_level=risk_level,
            description=description,
            immediate_action=immediate_action,
            on=day,
            today=uow.today,
        ),
    )
    event = "SafeguardingConcernRaised"
    keep_text(uow, done, subject_id=concern_id, kind="safeguarding_description", event_type=event, body=description)
    keep_text(uow, done, subject_id=concern_id, kind="safeguarding_action", event_type=event, body=immediate_action)
    return {"concern_id": concern_id, "status": "open", "risk_level": risk_level, "raised_on": day}


def escalate_concern(
    uow: EngagementUnitOfWork,
    who: Principal,
    case_id: UUID,
    concern_id: UUID,
    *,
    escalated_to: str,
    detail: str | None,
    escalated_on: date | None = None,
) -> dict[str, Any]:
    day = escalated_on or uow.today
    done = change_case(
        uow,
        who,
        case_id,
        CASE_MANAGERS,
        lambda case: case.escalate_concern(concern_id, to=escalated_to, detail=detail, on=day, today=uow.today),
    )
    keep_text(
        uow,
        done,
        subject_id=concern_id,
        kind="escalation_detail",
        event_type="SafeguardingConcernEscalated",
        body=detail,
    )
    return {"concern_id": concern_id, "status": "open", "escalated_to": escalated_to, "escalated_on": day}


def close_concern(
    uow: EngagementUnitOfWork,
    who: Principal,
    case_id: UUID,
    concern_id: UUID,
    *,
    outcome: str,
    note: str | None,
    closed_on: date | None = None,
) -> dict[str, Any]:
    day = closed_on or uow.today
    done = change_case(
        uow,
        who,
        case_id,
        CASE_MANAGERS,
        lambda case: case.close_concern(concern_id, outcome=outcome, note=note, on=day, today=uow.today),
    )
    keep_text(uow, done, subject_id=concern_id, kind="closure_note", event_type="SafeguardingConcernClosed", body=note)
    return {"concern_id": concern_id, "status": "closed", "outcome": outcome, "closed_on": day}


def add_step(
    uow: EngagementUnitOfWork,
    who: Principal,
    case_id: UUID,
    goal_id: UUID,
    *,
    description: str,
    due_on: date,
    added_on: date | None = None,
) -> dict[str, Any]:
    step_id, day = new_id(), added_on or uow.today
    done = change_case(
        uow,
        who,
        case_id,
        CONTENT_WRITERS,
        lambda case: case.add_step(goal_id, step_id, description=description, due_on=due_on, on=day, today=uow.today),
    )
    keep_text(uow, done, subject_id=step_id, kind="step_description", event_type="ActionStepAdded", body=description)
    return {"step_id": step_id, "goal_id": goal_id, "status": "planned", "due_on": due_on, "added_on": day}


def update_step(
    uow: EngagementUnitOfWork,
    who: Principal,
    case_id: UUID,
    goal_id: UUID,
    step_id: UUID,
    *,
    status: str | None,
    due_on: date | None,
    on: date | None = None,
) -> dict[str, Any]:
    day = on or uow.today

    def decide(case):
        step = case.step(step_id)
        if step is None or step.goal_id != goal_id:  # a step is reached only under its own goal
            raise NotFound("the goal has no such action step")
        return case.update_step(step_id, status=status, due_on=due_on, on=day, today=uow.today)

    done = change_case(uow, who, case_id, CONTENT_WRITERS, decide)
    step = done.case.step(step_id)
    assert step is not None
    return {"step_id": step_id, "goal_id": goal_id, "status": step.status.value, "due_on": step.due_on, "on": day}
