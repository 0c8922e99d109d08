"""The discharge summary, sent to the practice when a case is discharged (issue 18 item 7): stored and
queued for `linkwell.practice.v1` in the discharge's own transaction, so the practice gets it exactly
when the discharge is stored. One per case (its id derives from the case id)."""

from __future__ import annotations

from contracts.calendar import start_of_day_utc
from contracts.practice import DischargeSummaryIssued
from engagement.adapters import local_copies
from engagement.domain import Case
from engagement.domain.discharge_summary import discharge_summary
from engagement.service_layer.unit_of_work import EngagementUnitOfWork
from linkwell_runtime.repository import EventRepository, Stamp


def send_discharge_summary(uow: EngagementUnitOfWork, case: Case, stamp: Stamp) -> DischargeSummaryIssued:
    """Summarise a case just discharged for the practice the patient is registered with now (the
    referral's intake copy follows a practice move; the case keeps the practice it opened with)."""
    assert case.case_id is not None
    intake = local_copies.intake(uow.cur, case.case_id)
    practice = intake[1] if intake is not None else case.practice_ods_code
    assert practice is not None
    summary = discharge_summary(case, practice)
    to_practice = EventRepository(uow.cur, producer=uow.producer, topic=uow.settings.practice_topic)
    to_practice.append(
        summary.summary_id, 0, [summary], stamp, occurred_at=lambda _: start_of_day_utc(summary.discharged_on)
    )
    return summary
