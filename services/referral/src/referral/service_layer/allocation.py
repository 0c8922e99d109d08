"""Allocation of eligible referrals, queue first: the oldest eligible referral of a provider's
practices is allocated before any younger one, whenever a link worker has room."""
from __future__ import annotations

from datetime import date
from uuid import UUID

from contracts.referral import ReferralStatus
from referral.adapters import reference_data
from referral.domain import DomainError, choose_link_worker
from referral.service_layer.unit_of_work import UnitOfWork


def drain_queue(uow: UnitOfWork, provider_id: UUID | None, *, dated: dict[UUID, date] | None = None) -> list[UUID]:
    """Allocate the provider's queue head while someone has room; returns the referrals allocated.

    `dated` gives the business date of an allocation made in the same request as the referral
    (its referral date, so back-entered referrals keep a coherent history); others are dated today."""
    if provider_id is None:
        return []
    allocated = []
    for referral_id in reference_data.allocation_queue(uow.cur, provider_id):
        outcome = _allocate(uow, referral_id, provider_id, (dated or {}).get(referral_id))
        if outcome is None:
            break  # nobody has room: the rest of the queue waits too
        if outcome:
            allocated.append(referral_id)
    return allocated


def _allocate(uow: UnitOfWork, referral_id: UUID, provider_id: UUID, on: date | None = None) -> bool | None:
    """True when allocated, False when this referral cannot be, None when nobody has room."""
    referral = uow.log.load_referral(referral_id)
    if referral.status is not ReferralStatus.ELIGIBLE:
        return False
    allocation = choose_link_worker(provider_id, reference_data.link_worker_loads(uow.cur, provider_id))
    if allocation is None:
        return None
    try:
        on = on or uow.today
        events = referral.allocate(allocation, max(on, referral.status_since or on))
    except DomainError:
        return False
    uow.log.append(str(referral_id), referral.version, events, uow.stamp())
    return True
