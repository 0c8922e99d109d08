"""Allocation of eligible referrals, queue first: the oldest eligible referral of a provider's
practices is allocated before any younger one, whenever a link worker has room."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from uuid import UUID

from contracts.referral import ReferralStatus
from referral.adapters import reference_data
from referral.domain import Allocation, DomainError, Referral, choose_link_worker
from referral.service_layer.unit_of_work import ReferralUnitOfWork


def drain_queue(
    uow: ReferralUnitOfWork,
    provider_id: UUID | None,
    *,
    dated: dict[UUID, date] | None = None,
    known: dict[UUID, Referral] | None = None,
) -> dict[UUID, Referral]:
    """Allocate the provider's queue head while someone has room; returns the referrals allocated
    (each as it is after its allocation).

    The provider's link workers are locked before the queue is read, so concurrent requests for one
    provider take turns and each sees the allocations committed before it. The queue is read one head
    at a time and only while someone has room: a long waiting list costs a full provider nothing.

    `dated` gives the business date of an allocation made in the same request as the referral
    (its referral date, so back-entered referrals keep a coherent history); others are dated today.
    `known` holds referrals this request has just written (so they need not be read back)."""
    if provider_id is None:
        return {}
    allocated: dict[UUID, Referral] = {}
    passed_over: list[UUID] = []  # heads that cannot be allocated (e.g. a stale read model row)
    while True:
        loads = reference_data.link_worker_loads(uow.cur, provider_id)
        if choose_link_worker(provider_id, loads) is None:
            return allocated  # nobody has room: the queue waits
        head = reference_data.queue_head(uow.cur, provider_id, passed_over)
        if head is None:
            return allocated
        referral = (known or {}).get(head) or uow.referral(head)
        # a re-referral goes to the link worker who last held a case of the patient if they have room
        allocation = choose_link_worker(provider_id, loads, referral.previous_link_worker_id)
        assert allocation is not None  # someone has room (checked above)
        after = _allocate(uow, head, referral, allocation, (dated or {}).get(head))
        if after is not None:
            allocated[head] = after
        else:
            passed_over.append(head)


def drain_queues(uow: ReferralUnitOfWork, provider_ids: Iterable[UUID | None]) -> None:
    """Drain several providers' queues in provider id order. Each drain locks its provider's link
    workers until the transaction ends, so two transactions that both need providers A and B lock
    them in the same order: one waits for the other, and never each holds one while waiting for the
    other (a deadlock, which PostgreSQL would break by failing one of them)."""
    for provider_id in sorted({p for p in provider_ids if p is not None}):
        drain_queue(uow, provider_id)


def release_held(uow: ReferralUnitOfWork, patient_id: UUID | None, *, freed: UUID | None = None) -> None:
    """An episode of the patient has just ended: a referral of theirs held behind it (from another
    practice, docs/domain.md §2) may take its turn in its provider's queue now; `freed` is the
    provider where the ended episode held a place, whose queue may take its head too. All of them
    drained in one order (drain_queues): two patients' episodes ending at once, each with a
    referral held at the other's provider, lock the same providers in the same order."""
    held = [] if patient_id is None else reference_data.providers_holding_for(uow.cur, patient_id)
    drain_queues(uow, [freed, *held])


def _allocate(
    uow: ReferralUnitOfWork, referral_id: UUID, referral: Referral, allocation: Allocation, on: date | None = None
) -> Referral | None:
    """The referral after its allocation, or None when it cannot be allocated."""
    if referral.status is not ReferralStatus.ELIGIBLE:
        return None
    try:
        on = on or uow.today
        events = referral.allocate(allocation, max(on, referral.status_since or on))
    except DomainError:
        return None
    uow.events.append(referral_id, referral.version, events, uow.stamp())
    return referral.apply_all(events)
