"""Cases open from the referral service's events (linkwell.referral.v1).

`ReferralAllocated` names the provider and link worker but not the patient or practice, which come
from the same referral's `ReferralReceived` (earlier on the same partition). Either order works: an
allocation seen first is parked until its intake arrives. A referral allocated again after its case
opened changes nothing here (reassignment is the case's own, evented business).
"""
from __future__ import annotations

import logging

from contracts import Envelope
from contracts.referral import LinkWorkerRegistered, LinkWorkerUpdated, ReferralAllocated, ReferralReceived
from engagement.adapters import local_copies, read_model
from engagement.adapters.case_store import Stamp, append, load_case
from engagement.adapters.local_copies import Allocation
from engagement.domain import Case
from engagement.service_layer.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


def apply_referral_event(uow: UnitOfWork, envelope: Envelope, payload) -> None:
    if isinstance(payload, ReferralReceived):
        local_copies.remember_intake(uow.cur, payload.referral_id, payload.patient_id, payload.practice_ods_code)
        parked = local_copies.take_parked_allocation(uow.cur, payload.referral_id)
        if parked is not None:
            _open_case(uow, parked)
    elif isinstance(payload, ReferralAllocated):
        allocation = Allocation(payload.referral_id, payload.provider_id, payload.link_worker_id,
                                payload.allocated_on, envelope.event_id, envelope.correlation_id)
        if local_copies.intake(uow.cur, payload.referral_id) is None:
            local_copies.park_allocation(uow.cur, allocation)
        else:
            _open_case(uow, allocation)
    elif isinstance(payload, LinkWorkerRegistered | LinkWorkerUpdated):
        local_copies.upsert_link_worker(uow.cur, payload.link_worker_id, payload.provider_id,
                                        payload.display_name, payload.active)


def _open_case(uow: UnitOfWork, a: Allocation) -> None:
    case, _ = load_case(uow.cur, a.referral_id)
    if case.case_id is not None:
        log.info("case %s is already open; allocation %s changes nothing", a.referral_id, a.event_id)
        return
    patient_id, practice = local_copies.intake(uow.cur, a.referral_id)
    events = Case.open(case_id=a.referral_id, patient_id=patient_id, provider_id=a.provider_id,
                       link_worker_id=a.link_worker_id, practice_ods_code=practice, allocated_on=a.allocated_on)
    stamp = Stamp(recorded_at=uow.now, correlation_id=a.correlation_id or a.event_id, causation_id=a.event_id)
    append(uow.cur, case, events, stamp, uow.settings.engagement_topic)
    read_model.project(uow.cur, case.apply_all(events))
