"""The discharge summary sent to the referrer's practice (`DischargeSummaryIssued`, engagement's, on the
practice topic), kept for the referrer to read beside the referral's own summary (issue 19)."""

from __future__ import annotations

from contracts import Envelope
from contracts.events import EventPayload
from contracts.practice import DischargeSummaryIssued
from linkwell_runtime.consumer import PoisonEvent
from referral.adapters import practice_summaries
from referral.adapters.referral_rows import referral_row
from referral.service_layer.case_events import apply_case_event
from referral.service_layer.unit_of_work import ReferralUnitOfWork

FOLLOWED_PRACTICE_EVENT_TYPES = frozenset({DischargeSummaryIssued.event_type})


def apply_followed_event(uow: ReferralUnitOfWork, envelope: Envelope, payload: EventPayload | None) -> None:
    """The consumer's handler: a summary sent to a practice is kept; a case event moves the referral."""
    if isinstance(payload, DischargeSummaryIssued):
        keep_practice_summary(uow, envelope, payload)
    else:
        apply_case_event(uow, envelope, payload)


def keep_practice_summary(uow: ReferralUnitOfWork, envelope: Envelope, summary: DischargeSummaryIssued) -> None:
    if referral_row(uow.cur, summary.referral_id) is None:
        raise PoisonEvent(f"{envelope.event_type} {envelope.event_id} is about unknown referral {summary.referral_id}")
    practice_summaries.keep(
        uow.cur,
        summary.referral_id,
        summary.summary_id,
        summary.practice_ods_code,
        summary.model_dump(mode="json"),
        uow.now,
    )
