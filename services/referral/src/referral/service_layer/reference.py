"""Reference data changes: each one an event (published like the rest) and a read-model update.
A change that can make room (a new or re-activated link worker, more capacity, a practice given a
provider) drains that provider's allocation queue in the same transaction."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from contracts import new_event_id
from contracts.referral import (
    LinkWorkerRegistered,
    LinkWorkerUpdated,
    PracticeRegistered,
    PracticeUpdated,
    ProviderRegistered,
)
from linkwell_runtime.refusals import Conflict, Invalid, NotFound
from referral.adapters import reference_data
from referral.service_layer.allocation import drain_queue
from referral.service_layer.unit_of_work import ReferralUnitOfWork


def register_provider(uow: ReferralUnitOfWork, name: str) -> UUID:
    provider_id = new_event_id()
    uow.events.append(provider_id, 0, [ProviderRegistered(provider_id=provider_id, name=name)], uow.stamp())
    return provider_id


def register_practice(
    uow: ReferralUnitOfWork, ods_code: str, name: str, participating: bool, provider_id: UUID | None
) -> None:
    if uow.events.version_of(ods_code) > 0:
        raise Conflict("a practice with this ODS code is already registered")
    _provider_must_exist(uow, provider_id, "provider_id")
    event = PracticeRegistered(ods_code=ods_code, name=name, participating=participating, provider_id=provider_id)
    uow.events.append(ods_code, 0, [event], uow.stamp())


def update_practice(uow: ReferralUnitOfWork, ods_code: str, changes: dict[str, Any]) -> None:
    current = reference_data.practice(uow.cur, ods_code)
    if current is None:
        raise NotFound("no such practice")  # never echo what was sent
    _provider_must_exist(uow, changes.get("provider_id"), "provider_id")
    fields = {"name": current.name, "participating": current.participating, "provider_id": current.provider_id}
    event = PracticeUpdated(ods_code=ods_code, **(fields | changes))
    uow.events.append(ods_code, uow.events.version_of(ods_code), [event], uow.stamp())
    drain_queue(uow, event.provider_id)


def register_link_worker(
    uow: ReferralUnitOfWork, provider_id: UUID, display_name: str, capacity: int, active: bool
) -> UUID:
    _provider_must_exist(uow, provider_id, "provider_id")
    link_worker_id = new_event_id()
    event = LinkWorkerRegistered(
        link_worker_id=link_worker_id,
        provider_id=provider_id,
        display_name=display_name,
        capacity=capacity,
        active=active,
    )
    uow.events.append(link_worker_id, 0, [event], uow.stamp())
    drain_queue(uow, provider_id)
    return link_worker_id


def update_link_worker(uow: ReferralUnitOfWork, link_worker_id: UUID, changes: dict[str, Any]) -> None:
    current = reference_data.link_worker(uow.cur, link_worker_id)
    if current is None:
        raise NotFound(f"no link worker {link_worker_id}")
    fields = {k: current[k] for k in ("provider_id", "display_name", "capacity", "active")}
    event = LinkWorkerUpdated(link_worker_id=link_worker_id, **(fields | changes))
    uow.events.append(link_worker_id, uow.events.version_of(link_worker_id), [event], uow.stamp())
    drain_queue(uow, event.provider_id)


def _provider_must_exist(uow: ReferralUnitOfWork, provider_id: UUID | None, field: str) -> None:
    if provider_id is not None and not reference_data.provider_exists(uow.cur, provider_id):
        raise Invalid(field, f"unknown provider {provider_id}")
