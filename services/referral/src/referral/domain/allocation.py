"""Allocation: the provider serving the practice, then its link worker with most room (docs/domain.md §3)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class LinkWorkerLoad:
    """A link worker as allocation sees them: how many cases they can hold and hold now."""

    link_worker_id: UUID
    provider_id: UUID
    capacity: int
    active_caseload: int
    active: bool = True

    @property
    def spare_capacity(self) -> int:
        return self.capacity - self.active_caseload


@dataclass(frozen=True)
class Allocation:
    provider_id: UUID
    link_worker_id: UUID


def choose_link_worker(
    provider_id: UUID, link_workers: Iterable[LinkWorkerLoad], previous: UUID | None = None
) -> Allocation | None:
    """The provider's active link worker with the most spare capacity; ties go to the smaller
    caseload, then the lower id. None when nobody has room: the referral waits, eligible.

    Continuity (a re-referral, docs/domain.md §3.7): `previous`, the link worker who last held a case
    of the patient, is chosen first when they are one of the provider's active link workers with room;
    otherwise the usual rule applies."""
    candidates = [
        worker
        for worker in link_workers
        if worker.provider_id == provider_id and worker.active and worker.spare_capacity > 0
    ]
    if not candidates:
        return None
    if previous is not None and any(w.link_worker_id == previous for w in candidates):
        return Allocation(provider_id=provider_id, link_worker_id=previous)
    best = min(candidates, key=lambda w: (-w.spare_capacity, w.active_caseload, str(w.link_worker_id)))
    return Allocation(provider_id=provider_id, link_worker_id=best.link_worker_id)
