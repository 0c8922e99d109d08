"""One handler per use case; each returns the plain values the API answers with."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from uuid import UUID

from contracts.engagement import (
    CaseExtended,
    CaseReassigned,
    GoalStatus,
    WellbeingStarCorrected,
    WellbeingStarRecorded,
    WellbeingStarVoided,
)
from engagement.adapters import local_copies
from engagement.domain import InvalidCommand, ValidationFailed, ValidationProblem
from engagement.service_layer.access import CASE_MANAGERS, CONTENT_WRITERS, ensure_role
from engagement.service_layer.case_commands import change_case, keep_text, new_id
from engagement.service_layer.discharge_summaries import send_discharge_summary
from engagement.service_layer.unit_of_work import EngagementUnitOfWork
from linkwell_runtime.auth import Principal


def record_contact(
    uow: EngagementUnitOfWork,
    who: Principal,
    case_id: UUID,
    *,
    occurred_at: datetime,
    mode: str,
    duration_minutes: int,
    attended: bool,
    venue: str | None,
) -> dict[str, Any]:
    contact_id = new_id()
    done = change_case(
        uow,
        who,
        case_id,
        CONTENT_WRITERS,
        lambda case: case.record_contact(
            contact_id,
            occurred_at=occurred_at,
            mode=mode,
            duration_minutes=duration_minutes,
            attended=attended,
            venue=venue,
            now=uow.now,
        ),
    )
    return {"contact_id": contact_id, "case_status": done.case.status.value}


def record_attempt(
    uow: EngagementUnitOfWork, who: Principal, case_id: UUID, *, occurred_at: datetime, note: str | None
) -> dict[str, Any]:
    attempt_id = new_id()
    done = change_case(
        uow,
        who,
        case_id,
        CONTENT_WRITERS,
        lambda case: case.record_failed_attempt(attempt_id, occurred_at=occurred_at, note=note, now=uow.now),
    )
    keep_text(uow, done, subject_id=attempt_id, kind="attempt_note", event_type="ContactAttemptFailed", body=note)
    return {"attempt_id": attempt_id, "case_status": done.case.status.value}


def agree_goal(
    uow: EngagementUnitOfWork,
    who: Principal,
    case_id: UUID,
    *,
    description: str,
    star_areas: list[str],
    target_date: date | None,
    agreed_on: date | None = None,
) -> dict[str, Any]:
    goal_id, on = new_id(), agreed_on or uow.today
    done = change_case(
        uow,
        who,
        case_id,
        CONTENT_WRITERS,
        lambda case: case.agree_goal(
            goal_id, description=description, star_areas=star_areas, target_date=target_date, on=on, today=uow.today
        ),
    )
    keep_text(uow, done, subject_id=goal_id, kind="goal_description", event_type="GoalAgreed", body=description)
    return {"goal_id": goal_id, "status": GoalStatus.AGREED.value, "agreed_on": on}


def update_goal(
    uow: EngagementUnitOfWork,
    who: Principal,
    case_id: UUID,
    goal_id: UUID,
    *,
    status: str,
    note: str | None,
    replacement: Mapping[str, Any] | None,
    on: date | None = None,
) -> dict[str, Any]:
    """A status change `on` a day (default today); `revised` with a `replacement` also agrees the goal
    that replaces it, the same day."""
    if replacement is not None and status != GoalStatus.REVISED.value:
        raise ValidationFailed([ValidationProblem("replacement", "only a revised goal has a replacement")])
    new_goal_id = new_id() if replacement is not None else None
    day = on or uow.today

    def decide(case):
        if replacement is None:
            return case.update_goal(goal_id, status, on=day, today=uow.today)
        return case.revise_goal(goal_id, new_goal_id=new_goal_id, on=day, today=uow.today, **replacement)

    done = change_case(uow, who, case_id, CONTENT_WRITERS, decide)
    keep_text(uow, done, subject_id=goal_id, kind="goal_note", event_type="GoalUpdated", body=note)
    answer: dict[str, Any] = {"goal_id": goal_id, "status": status, "on": day}
    if new_goal_id is not None and replacement is not None:
        keep_text(
            uow,
            done,
            subject_id=new_goal_id,
            kind="goal_description",
            event_type="GoalAgreed",
            body=replacement["description"],
        )
        answer["replacement_goal_id"] = new_goal_id
    return answer


def record_star(
    uow: EngagementUnitOfWork, who: Principal, case_id: UUID, *, taken_on: date, scores: Mapping[str, object]
) -> dict[str, Any]:
    star_id = new_id()
    done = change_case(
        uow,
        who,
        case_id,
        CONTENT_WRITERS,
        lambda case: case.record_star(star_id, taken_on=taken_on, scores=scores, today=uow.today),
    )
    recorded = done.first(WellbeingStarRecorded)
    return {
        "star_id": star_id,
        "kind": recorded.kind.value,
        "total": recorded.total,
        "case_status": done.case.status.value,
    }


def correct_star(
    uow: EngagementUnitOfWork,
    who: Principal,
    case_id: UUID,
    star_id: UUID,
    *,
    scores: Mapping[str, object],
    reason: str,
    corrected_on: date | None = None,
) -> dict[str, Any]:
    done = change_case(
        uow,
        who,
        case_id,
        CONTENT_WRITERS,
        lambda case: case.correct_star(star_id, scores=scores, reason=reason, today=uow.today, on=corrected_on),
    )
    keep_text(uow, done, subject_id=star_id, kind="correction_reason", event_type="WellbeingStarCorrected", body=reason)
    corrected = done.first(WellbeingStarCorrected)
    return {"star_id": star_id, "total": corrected.total, "corrected_on": corrected.corrected_on}


def void_star(
    uow: EngagementUnitOfWork,
    who: Principal,
    case_id: UUID,
    star_id: UUID,
    *,
    reason: str,
    voided_on: date | None = None,
) -> dict[str, Any]:
    done = change_case(
        uow,
        who,
        case_id,
        CONTENT_WRITERS,
        lambda case: case.void_star(star_id, reason=reason, today=uow.today, on=voided_on),
    )
    keep_text(uow, done, subject_id=star_id, kind="void_reason", event_type="WellbeingStarVoided", body=reason)
    return {"star_id": star_id, "voided_on": done.first(WellbeingStarVoided).voided_on}


def make_linkage(
    uow: EngagementUnitOfWork,
    who: Principal,
    case_id: UUID,
    *,
    service_id: UUID,
    category: str,
    made_on: date | None = None,
) -> dict[str, Any]:
    linkage_id, on = new_id(), made_on or uow.today
    known = local_copies.service_statuses(uow.cur, [service_id])
    change_case(
        uow,
        who,
        case_id,
        CONTENT_WRITERS,
        lambda case: case.make_linkage(
            linkage_id, service_id=service_id, category=category, known_services=known, on=on, today=uow.today
        ),
    )
    return {"linkage_id": linkage_id, "status": "suggested", "made_on": on}


def update_linkage(
    uow: EngagementUnitOfWork, who: Principal, case_id: UUID, linkage_id: UUID, *, status: str, on: date | None = None
) -> dict:
    day = on or uow.today
    change_case(
        uow,
        who,
        case_id,
        CONTENT_WRITERS,
        lambda case: case.update_linkage(linkage_id, status, on=day, today=uow.today),
    )
    return {"linkage_id": linkage_id, "status": status, "on": day}


def extend(
    uow: EngagementUnitOfWork,
    who: Principal,
    case_id: UUID,
    *,
    reason: str,
    review_on: date,
    extended_on: date | None = None,
) -> dict[str, Any]:
    done = change_case(
        uow,
        who,
        case_id,
        CASE_MANAGERS,
        lambda case: case.extend(reason=reason, review_on=review_on, today=uow.today, on=extended_on),
    )
    keep_text(uow, done, subject_id=case_id, kind="extension_reason", event_type="CaseExtended", body=reason)
    return {"case_id": case_id, "extended_on": done.first(CaseExtended).extended_on, "review_on": review_on}


def discharge(uow: EngagementUnitOfWork, who: Principal, case_id: UUID, *, reason: str, discharged_on: date) -> dict:
    done = change_case(
        uow,
        who,
        case_id,
        CASE_MANAGERS,
        lambda case: case.discharge(reason, discharged_on=discharged_on, today=uow.today),
    )
    send_discharge_summary(uow, done.case, uow.stamp())
    return {"case_id": case_id, "status": done.case.status.value, "discharged_on": discharged_on}


def reassign(
    uow: EngagementUnitOfWork, who: Principal, case_id: UUID, *, link_worker_id: UUID, reassigned_on: date | None = None
) -> dict[str, Any]:
    """To another active link worker of the same provider, as the referral service's reference data says,
    `reassigned_on` a day (default today)."""
    ensure_role(who, CASE_MANAGERS)
    known = local_copies.link_worker(uow.cur, link_worker_id)
    if known is None:
        raise ValidationFailed([ValidationProblem("link_worker_id", "unknown link worker")])
    provider_id, active = known

    def decide(case):
        if not active:
            raise InvalidCommand(f"link worker {link_worker_id} is not active")
        return case.reassign(
            link_worker_id, link_worker_provider_id=provider_id, on=reassigned_on or uow.today, today=uow.today
        )

    done = change_case(uow, who, case_id, CASE_MANAGERS, decide)
    return {
        "case_id": case_id,
        "link_worker_id": link_worker_id,
        "reassigned_on": done.first(CaseReassigned).reassigned_on,
    }
