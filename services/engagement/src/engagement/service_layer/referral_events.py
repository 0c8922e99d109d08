"""Cases open from the referral service's events (linkwell.referral.v1).

`ReferralAllocated` names the provider and link worker but not the patient or practice, which come
from the same referral's `ReferralReceived` (earlier on the same partition). Either order works: an
allocation seen first is parked until its intake arrives. A referral allocated again after its case
opened changes nothing here (reassignment is the case's own, evented business).

A referral declined through the referral service (`ReferralDeclined`, or the `ReferralClosed` with
status `declined` that follows it) closes the case: `CaseDischarged` with `declined_further_support`,
dated the decline date and caused by that event; the practice is sent its discharge summary only when
the case had its first contact (docs/domain.md §3.3). A case already closed (or never opened) is left
alone, so redelivery and the `ReferralClosed` after the `ReferralDeclined` change nothing.

`ReferralWithdrawn` (a referral made in error) closes its open case with `CaseWithdrawn`: no outcome,
no discharge, no discharge summary; a closed case stays as it is. So does a `ReferralClosed` with status
`ineligible`: a correction of the referral's entries found it ineligible before first contact
(docs/domain.md §3.5), and the case that opened on its allocation closes as made in error.

`PatientPracticeChanged` (the patient moved practice) updates the intake copy, so a case that opens
later opens with the new practice; an open case keeps the practice it opened with.

`PatientErased` (the patient's right to erasure) deletes the free text kept for the patient's cases:
the only plaintext this service holds that may identify them, and none is kept for them afterwards
(`erased_patients`). The events stay (they carry no identifiable data), so the case's dates, Stars
and the ledger built on them are unchanged.
"""

from __future__ import annotations

import logging
from datetime import date
from uuid import UUID

from contracts import Envelope
from contracts.engagement import CaseDischargeReason
from contracts.events import EventPayload
from contracts.referral import (
    LinkWorkerRegistered,
    LinkWorkerUpdated,
    PatientErased,
    PatientPracticeChanged,
    ReferralAllocated,
    ReferralClosed,
    ReferralDeclined,
    ReferralReceived,
    ReferralStatus,
    ReferralWithdrawn,
)
from engagement.adapters import case_texts, local_copies
from engagement.adapters.case_store import append, load_case
from engagement.adapters.local_copies import Allocation
from engagement.domain import Case
from engagement.service_layer.discharge_summaries import send_discharge_summary
from engagement.service_layer.unit_of_work import EngagementUnitOfWork
from linkwell_runtime.repository import Stamp, retrying_on_conflict

log = logging.getLogger(__name__)


def apply_referral_event(uow: EngagementUnitOfWork, envelope: Envelope, payload: EventPayload) -> None:
    if isinstance(payload, ReferralReceived):
        local_copies.remember_intake(uow.cur, payload.referral_id, payload.patient_id, payload.practice_ods_code)
        parked = local_copies.take_parked_allocation(uow.cur, payload.referral_id)
        if parked is not None:
            _open_case(uow, parked)
    elif isinstance(payload, ReferralAllocated):
        allocation = Allocation(
            payload.referral_id,
            payload.provider_id,
            payload.link_worker_id,
            payload.allocated_on,
            envelope.event_id,
            envelope.correlation_id,
        )
        if local_copies.intake(uow.cur, payload.referral_id) is None:
            local_copies.park_allocation(uow.cur, allocation)
        else:
            _open_case(uow, allocation)
    elif isinstance(payload, ReferralDeclined):
        _close_declined(uow, envelope, payload.referral_id, payload.declined_on)
    elif isinstance(payload, ReferralClosed) and payload.status is ReferralStatus.DECLINED:
        _close_declined(uow, envelope, payload.referral_id, payload.closed_on)
    elif isinstance(payload, ReferralWithdrawn):
        retrying_on_conflict(lambda: _withdraw(uow, envelope, payload.referral_id, payload.withdrawn_on))
    elif isinstance(payload, ReferralClosed) and payload.status is ReferralStatus.INELIGIBLE:
        # a correction of the entries found the referral ineligible before first contact (a case that
        # had a contact is never closed this way: the referral service refuses it after first contact)
        retrying_on_conflict(lambda: _withdraw(uow, envelope, payload.referral_id, payload.closed_on))
    elif isinstance(payload, PatientPracticeChanged):
        # a referral still waiting: its case will open with the new practice. An open case is kept by
        # its link worker (docs/domain.md §3.5) and its `practice_ods_code` stays the one it opened with.
        local_copies.move_intake_practice(uow.cur, payload.referral_id, payload.practice_ods_code)
    elif isinstance(payload, PatientErased):
        erased = case_texts.erase_patient_texts(uow.cur, payload.patient_id, payload.erased_at)
        log.info("patient %s erased: %d case texts deleted", payload.patient_id, erased)
    elif isinstance(payload, LinkWorkerRegistered | LinkWorkerUpdated):
        local_copies.upsert_link_worker(
            uow.cur, payload.link_worker_id, payload.provider_id, payload.display_name, payload.active
        )


def _open_case(uow: EngagementUnitOfWork, a: Allocation) -> None:
    case, _ = load_case(uow.events, a.referral_id)
    if case.case_id is not None:
        log.info("case %s is already open; allocation %s changes nothing", a.referral_id, a.event_id)
        return
    intake = local_copies.intake(uow.cur, a.referral_id)
    assert intake is not None  # a case opens only once its referral's intake is here (parked until then)
    patient_id, practice = intake
    events = Case.open(
        case_id=a.referral_id,
        patient_id=patient_id,
        provider_id=a.provider_id,
        link_worker_id=a.link_worker_id,
        practice_ods_code=practice,
        allocated_on=a.allocated_on,
    )
    append(uow.events, case, events, _caused_by(uow, a.event_id, a.correlation_id))


def _close_declined(uow: EngagementUnitOfWork, envelope: Envelope, referral_id: UUID, declined_on: date) -> None:
    """Discharge an open case as `declined_further_support` on the decline date.

    The referral service already refused a decline dated in its future, so its date is trusted here
    (`today` is at least that date, whatever this clock says). If the link worker recorded something
    in the case after that date, the discharge is dated that last day instead (a discharge is never
    dated before anything in the case), so the case closes rather than the event being dead-lettered.
    A concurrent write to the case (the HTTP API) is retried once after reloading.
    """
    retrying_on_conflict(lambda: _discharge_declined(uow, envelope, referral_id, declined_on))


def _discharge_declined(uow: EngagementUnitOfWork, envelope: Envelope, referral_id: UUID, declined_on: date) -> None:
    case, _ = load_case(uow.events, referral_id)
    if not case.is_open:
        log.info(
            "referral %s declined: case %s, nothing to close",
            referral_id,
            "unknown" if case.case_id is None else case.status.value,
        )
        return
    on = max(declined_on, case.last_activity_on or declined_on)
    if on != declined_on:
        log.warning(
            "referral %s declined on %s, but the case has activity until %s: discharged on %s",
            referral_id,
            declined_on,
            on,
            on,
        )
    events = case.discharge(CaseDischargeReason.DECLINED_FURTHER_SUPPORT, discharged_on=on, today=max(uow.today, on))
    stamp = _caused_by(uow, envelope.event_id, envelope.correlation_id)
    after, _ = append(uow.events, case, events, stamp)
    if after.contacted_on is not None:
        send_discharge_summary(uow, after, stamp)
    else:
        # declined before any contact: the support never started, and a referral declined while it
        # waited in the queue has no case to summarise; a summary for this one alone would tell the
        # practice it had been allocated (docs/security.md §3.1, §7)
        log.info("referral %s declined before first contact: no summary to the practice", referral_id)


def _withdraw(uow: EngagementUnitOfWork, envelope: Envelope, referral_id: UUID, on: date) -> None:
    """The referral was withdrawn as made in error, or found ineligible by a correction before first
    contact: its open case closes (`CaseWithdrawn`) with no outcome and no discharge summary. No case
    (never allocated, or not opened yet: a parked allocation is dropped) or a closed one: nothing to do."""
    local_copies.take_parked_allocation(uow.cur, referral_id)
    case, _ = load_case(uow.events, referral_id)
    events = case.withdraw(withdrawn_on=on, referral_event_id=envelope.event_id)
    if events:
        append(uow.events, case, events, _caused_by(uow, envelope.event_id, envelope.correlation_id))
    else:
        log.info("referral %s ended before its case: no open case to close", referral_id)


def _caused_by(uow: EngagementUnitOfWork, event_id: UUID, correlation_id: UUID | None) -> Stamp:
    """The referral event behind a case's events: their cause, and their correlation (the chain it is
    part of, or the chain it starts). Named here rather than taken from the unit of work because a
    parked allocation opens its case when a later event (the intake) arrives."""
    return Stamp(recorded_at=uow.now, correlation_id=correlation_id or event_id, causation_id=event_id)
