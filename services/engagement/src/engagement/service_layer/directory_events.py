"""The local copy of the directory (linkwell.directory.v1): which services exist and their status."""

from __future__ import annotations

from contracts import Envelope
from contracts.directory import ServicePublished, ServiceStatusChanged, ServiceUpdated
from contracts.events import EventPayload
from engagement.adapters import local_copies
from engagement.service_layer.unit_of_work import EngagementUnitOfWork


def apply_directory_event(uow: EngagementUnitOfWork, envelope: Envelope, payload: EventPayload) -> None:
    if isinstance(payload, ServicePublished | ServiceUpdated):
        local_copies.upsert_service(
            uow.cur,
            service_id=payload.service_id,
            organization_id=payload.organization_id,
            name=payload.name,
            status=payload.status.value,
            categories=[c.value for c in payload.categories],
            last_modified=payload.last_modified,
        )
    elif isinstance(payload, ServiceStatusChanged):
        local_copies.change_service_status(uow.cur, payload.service_id, payload.to_status.value, payload.last_modified)
