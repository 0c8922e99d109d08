"""The referral follows its case: declines from the API, milestones from engagement's events.

Whenever an episode that held a place in a link worker's caseload ends, the provider's queue of
eligible referrals is drained in the same transaction (the place is free at once).
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from contracts.events import EventPayload
from contracts.pii import EncryptedField, encrypt_field
from contracts.referral import DeclineReason, WithdrawalReason
from linkwell_runtime.refusals import Conflict, Invalid, NotFound
from linkwell_runtime.repository import retrying_on_conflict
from referral.adapters.patient_keys import key_of_patient
from referral.domain import HOLDS_A_PLACE, CaseMilestone, MalformedReferral, Referral, business_date_problems
from referral.service_layer.allocation import drain_queue, release_held
from referral.service_layer.unit_of_work import ReferralUnitOfWork


def load_existing(uow: ReferralUnitOfWork, referral_id: UUID) -> Referral:
    referral = uow.referral(referral_id)
    if referral.referral_id is None:
        raise NotFound(f"no referral {referral_id}")
    return referral


def decline(
    uow: ReferralUnitOfWork, referral_id: UUID, reason: DeclineReason, note: str | None, declined_on: date | None
) -> Referral:
    on = declined_on or uow.today
    problems = business_date_problems("declined_on", on, uow.today)
    if problems:
        raise MalformedReferral(problems)

    def attempt() -> Referral:
        referral = load_existing(uow, referral_id)
        events = referral.decline(reason, on, _sealed_note(uow, referral, note))
        return _record(uow, referral_id, referral, events)

    return retrying_on_conflict(attempt)


def withdraw(
    uow: ReferralUnitOfWork, referral_id: UUID, reason: WithdrawalReason, withdrawn_on: date | None
) -> Referral:
    """Withdraw a referral made in error (docs/domain.md §3.6): 422 for a bad date, 409 once the episode
    ended; a place it held in a caseload is free at once (the provider's queue is drained)."""
    on = withdrawn_on or uow.today
    problems = business_date_problems("withdrawn_on", on, uow.today)
    if problems:
        raise MalformedReferral(problems)

    def attempt() -> Referral:
        referral = load_existing(uow, referral_id)
        return _record(uow, referral_id, referral, referral.withdraw(reason, on))

    return retrying_on_conflict(attempt)


def record_milestone(uow: ReferralUnitOfWork, referral_id: UUID, milestone: CaseMilestone) -> Referral:
    """Apply a case milestone; raises InvalidTransition/InvalidCommand when it no longer fits."""

    def attempt() -> Referral:
        referral = load_existing(uow, referral_id)
        return _record(uow, referral_id, referral, referral.record_case_event(milestone))

    return retrying_on_conflict(attempt)


def record_reassignment(
    uow: ReferralUnitOfWork, referral_id: UUID, link_worker_id: UUID, on: date, cause_event_id: UUID | None
) -> Referral:
    """Move the referral's place to the case's new link worker; the old one's place may take the head
    of the provider's queue at once. Raises InvalidCommand when the referral holds no place."""

    def attempt() -> Referral:
        referral = load_existing(uow, referral_id)
        events = referral.reassign(link_worker_id, on, cause_event_id)
        after = _record(uow, referral_id, referral, events)
        if events:
            drain_queue(uow, referral.provider_id)
        return after

    return retrying_on_conflict(attempt)


def _record(uow: ReferralUnitOfWork, referral_id: UUID, referral: Referral, events: list[EventPayload]) -> Referral:
    uow.events.append(referral_id, referral.version, events, uow.stamp())
    after = referral.apply_all(events)
    freed = referral.provider_id if referral.status in HOLDS_A_PLACE and after.is_closed else None
    if after.is_closed and not referral.is_closed:
        # the freed place's queue and the queues holding the patient's other referrals, in one lock order
        release_held(uow, after.patient_id, freed=freed)
    elif freed is not None:
        drain_queue(uow, freed)
    return after


def _sealed_note(uow: ReferralUnitOfWork, referral: Referral, note: str | None) -> EncryptedField | None:
    text = (note or "").strip()
    if not text:
        return None
    if len(text) > 2000:
        raise Invalid("note", "at most 2000 characters")
    keks = uow.settings.key_encryption_keys
    key = None if referral.patient_id is None else key_of_patient(uow.cur, keks, referral.patient_id)
    if key is None or key.key is None:
        raise Conflict("this patient's data has been erased; the note cannot be kept")
    return encrypt_field(text, key_id=key.key_id, key=key.key, purpose="decline_note")
