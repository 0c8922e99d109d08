"""The discharge summary, sent to the practice when a case is discharged (issue 18 item 7): stored and
queued for `linkwell.practice.v1` in the discharge's own transaction, so the practice gets it exactly
when the discharge is stored. One per case (its id derives from the case id)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from contracts.calendar import start_of_day_utc
from contracts.practice import DischargeSummaryIssued
from engagement.adapters import case_store, local_copies
from engagement.domain import Case
from engagement.domain.discharge_summary import discharge_summary
from engagement.service_layer.access import CASE_MANAGERS, ensure_role, ensure_visible
from engagement.service_layer.unit_of_work import EngagementUnitOfWork
from linkwell_runtime.auth import Principal
from linkwell_runtime.repository import EventRepository, Stamp


def summary_for(uow: EngagementUnitOfWork, case: Case) -> DischargeSummaryIssued:
    """The summary of a discharged case for the practice the patient is registered with now (the
    referral's intake copy follows a practice move; the case keeps the practice it opened with)."""
    assert case.case_id is not None
    intake = local_copies.intake(uow.cur, case.case_id)
    practice = intake[1] if intake is not None else case.practice_ods_code
    assert practice is not None
    return discharge_summary(case, practice)


def preview_discharge_summary(
    uow: EngagementUnitOfWork, who: Principal, case_id: UUID, *, reason: str, discharged_on: date
) -> dict[str, Any]:
    """Exactly the summary a discharge with this reason and date would send now; nothing is stored.
    The discharge's own checks apply (a bad reason or date 422; before the last thing recorded, or a
    closed case, 409)."""
    ensure_role(who, CASE_MANAGERS)
    case = case_store.load_current(uow.events, case_id, uow.cases)
    ensure_visible(who, case)
    after = case.apply_all(case.discharge(reason, discharged_on=discharged_on, today=uow.today))
    return summary_for(uow, after).model_dump(mode="json")


def send_discharge_summary(uow: EngagementUnitOfWork, case: Case, stamp: Stamp) -> DischargeSummaryIssued:
    """Summarise a case just discharged and queue it for the practice, in the discharge's transaction."""
    summary = summary_for(uow, case)
    to_practice = EventRepository(uow.cur, producer=uow.producer, topic=uow.settings.practice_topic)
    to_practice.append(
        summary.summary_id, 0, [summary], stamp, occurred_at=lambda _: start_of_day_utc(summary.discharged_on)
    )
    return summary
