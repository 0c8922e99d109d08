"""Service and organisation aggregates: state is a fold over their events; decisions return events.

A service's state for decisions is small (does it exist, its status, its organisation); the full
ORUK document lives in the read-model tables written in the same transaction as the events.
Lifecycle: any of active / inactive / temporarily closed may move to any other or to defunct;
defunct is terminal (the service has ceased: publish a new one), so it refuses changes (409).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from contracts.directory import (
    OrganizationPublished,
    OrganizationUpdated,
    ServicePublished,
    ServiceStatus,
    ServiceStatusChanged,
    ServiceUpdated,
)
from contracts.engagement import LinkageCategory
from contracts.events import EventPayload
from directory.domain.errors import Conflict, NotFound
from directory.domain.inputs import OrganizationIn, ServiceIn


@dataclass(frozen=True)
class ServiceState:
    version: int = 0
    status: ServiceStatus | None = None
    organization_id: UUID | None = None

    @property
    def exists(self) -> bool:
        return self.version > 0

    @classmethod
    def from_events(cls, history: Sequence[tuple[int, EventPayload]]) -> ServiceState:
        state = cls()
        for version, event in history:
            if isinstance(event, ServicePublished | ServiceUpdated):
                state = cls(version, event.status, event.organization_id)
            elif isinstance(event, ServiceStatusChanged):
                state = cls(version, event.to_status, event.organization_id)
            else:
                raise TypeError(f"{type(event).__name__} is not a service event")
        return state


def publish_service(
    state: ServiceState, service: ServiceIn, categories: Sequence[LinkageCategory], now: datetime
) -> list[EventPayload]:
    if state.exists:
        raise Conflict(f"service {service.id} is already published")
    return [ServicePublished(**_summary(service, categories, now))]


def update_service(
    state: ServiceState, service: ServiceIn, categories: Sequence[LinkageCategory], now: datetime
) -> list[EventPayload]:
    _must_be_changeable(state, service.id)
    summary = _summary(service, categories, now) | {"status": state.status}
    events: list[EventPayload] = [ServiceUpdated(**summary)]
    if service.status != state.status:
        events += change_status(state, service.id, service.organization_id, service.status, now)
    return events


def change_status(
    state: ServiceState, service_id: UUID, organization_id: UUID | None, to_status: ServiceStatus, now: datetime
) -> list[EventPayload]:
    _must_be_changeable(state, service_id)
    if to_status == state.status:
        return []  # already so: nothing happened
    return [
        ServiceStatusChanged(
            service_id=service_id,
            organization_id=organization_id or state.organization_id,
            from_status=state.status,
            to_status=to_status,
            last_modified=now,
        )
    ]


def _must_be_changeable(state: ServiceState, service_id: UUID) -> None:
    if not state.exists:
        raise NotFound(f"no service {service_id}")
    if state.status == ServiceStatus.DEFUNCT:
        raise Conflict(f"service {service_id} is defunct and can no longer change")


def _summary(service: ServiceIn, categories: Sequence[LinkageCategory], now: datetime) -> dict[str, Any]:
    return {
        "service_id": service.id,
        "organization_id": service.organization_id,
        "name": service.name,
        "status": service.status,
        "categories": tuple(sorted(set(categories))),
        "taxonomy_term_ids": tuple(dict.fromkeys(a.taxonomy_term_id for a in service.attributes)),
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "last_modified": now,
    }


def publish_organization(version: int, organization: OrganizationIn) -> list[EventPayload]:
    if version > 0:
        raise Conflict(f"organization {organization.id} is already published")
    return [OrganizationPublished(organization_id=organization.id, name=organization.name)]


def update_organization(version: int, organization: OrganizationIn) -> list[EventPayload]:
    if version == 0:
        raise NotFound(f"no organization {organization.id}")
    return [OrganizationUpdated(organization_id=organization.id, name=organization.name)]
