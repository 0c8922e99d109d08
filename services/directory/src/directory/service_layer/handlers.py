"""Use cases: each runs in the unit of work's transaction, decides with the domain, appends the
events (with their outbox rows) through the event repository, and updates the ORUK read model.
A concurrent writer of the same aggregate makes the load-decide-append run once more."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

from contracts.directory import ServiceStatus
from contracts.engagement import LinkageCategory
from contracts.events import EventPayload
from directory.adapters import tables
from directory.domain import model
from directory.domain.errors import Conflict, FieldError, ValidationFailed
from directory.domain.inputs import OrganizationIn, ServiceIn
from directory.domain.model import ServiceState
from directory.service_layer.unit_of_work import DirectoryUnitOfWork
from linkwell_runtime.repository import payloads, retrying_on_conflict

History = list[tuple[int, EventPayload]]  # (version, event) of one aggregate, in order


def publish_service(uow: DirectoryUnitOfWork, service: ServiceIn) -> None:
    def decide(history: History) -> list[EventPayload]:
        state = ServiceState.from_events(history)
        categories = _check_references(uow.cur, service)
        return model.publish_service(state, service, categories, uow.now)

    _append(uow, service.id, "service", decide)
    tables.save_service(uow.cur, service, uow.now)


def update_service(uow: DirectoryUnitOfWork, service: ServiceIn) -> None:
    def decide(history: History) -> list[EventPayload]:
        state = ServiceState.from_events(history)
        categories = _check_references(uow.cur, service) if state.exists else []
        return model.update_service(state, service, categories, uow.now)

    _append(uow, service.id, "service", decide)
    tables.save_service(uow.cur, service, uow.now)


def change_service_status(uow: DirectoryUnitOfWork, service_id: UUID, status: ServiceStatus) -> bool:
    """True when the status changed; False when it already was `status`."""

    def decide(history: History) -> list[EventPayload]:
        return model.change_status(ServiceState.from_events(history), service_id, None, status, uow.now)

    changed = bool(_append(uow, service_id, "service", decide))
    if changed:
        tables.save_service_status(uow.cur, service_id, status, uow.now)
    return changed


def publish_organization(uow: DirectoryUnitOfWork, org: OrganizationIn) -> None:
    _append(uow, org.id, "organization", lambda history: model.publish_organization(len(history), org))
    tables.save_organization(uow.cur, org)


def update_organization(uow: DirectoryUnitOfWork, org: OrganizationIn) -> None:
    _append(uow, org.id, "organization", lambda history: model.update_organization(len(history), org))
    tables.save_organization(uow.cur, org)


def check_nested_ids(uow: DirectoryUnitOfWork, service: ServiceIn, *, own_organisation_only: bool) -> None:
    """A write reaches only its own service's children (docs/security.md): 422 for a child id that is
    another service's, a schedule pointing at another service's location record, and, for a provider
    manager (`own_organisation_only`), a location another organisation's service uses (locations are
    shared records: an operator may share one across organisations, a manager may not change theirs)."""
    errors = tables.nested_ids_held_elsewhere(uow.cur, service)
    own_sals = {s.id for s in service.service_at_locations}
    errors += [
        {
            "loc": ["body", "schedules", i, "service_at_location_id"],
            "msg": "must be one of this service's service_at_locations",
            "type": "value_error",
        }
        for i, s in enumerate(service.schedules)
        if s.service_at_location_id is not None and s.service_at_location_id not in own_sals
    ]
    if own_organisation_only:
        foreign = tables.locations_of_other_organisations(
            uow.cur, [s.location.id for s in service.service_at_locations], service.organization_id
        )
        errors += [
            {
                "loc": ["body", "service_at_locations", i, "location", "id"],
                "msg": "this location is another organisation's: leave the id out to describe your own",
                "type": "value_error",
            }
            for i, s in enumerate(service.service_at_locations)
            if s.location.id in foreign
        ]
    if errors:
        raise ValidationFailed(errors)


def service_state(uow: DirectoryUnitOfWork, service_id: UUID) -> ServiceState:
    return ServiceState.from_events(_history(uow, service_id, "service"))


def _append(
    uow: DirectoryUnitOfWork, aggregate_id: UUID, aggregate_type: str, decide: Callable[[History], list[EventPayload]]
) -> list[EventPayload]:
    """Load the aggregate, decide, append after the version loaded; again if another writer got there first."""

    def attempt() -> list[EventPayload]:
        history = _history(uow, aggregate_id, aggregate_type)
        events = decide(history)
        uow.events.append(aggregate_id, len(history), events, uow.stamp())
        return events

    return retrying_on_conflict(attempt)


def _history(uow: DirectoryUnitOfWork, aggregate_id: UUID, aggregate_type: str) -> History:
    """The events of one aggregate of `aggregate_type`. Services and organisations share one id space
    in the event store, so an id that is already the other kind's is a Conflict (409): its stream
    is never read as, or appended to as, this kind."""
    envelopes = uow.events.envelopes(aggregate_id)
    other = next((e.aggregate_type for e in envelopes if e.aggregate_type != aggregate_type), None)
    if other is not None:
        raise Conflict(f"{aggregate_id} is the id of another kind of record ({other}), not a {aggregate_type}")
    return list(zip((e.aggregate_version for e in envelopes), payloads(envelopes), strict=True))


def _check_references(cur: Any, service: ServiceIn) -> Sequence[LinkageCategory]:
    """The organisation and every taxonomy term must exist; returns the linkage categories tagged."""
    errors: list[FieldError] = []
    if not tables.organization_exists(cur, service.organization_id):
        errors.append(
            {
                "loc": ["body", "organization_id"],
                "msg": f"unknown organization {service.organization_id}",
                "type": "value_error.unknown_organization",
            }
        )
    codes = tables.term_codes(cur, [a.taxonomy_term_id for a in service.attributes])
    errors += [
        {
            "loc": ["body", "attributes", i, "taxonomy_term_id"],
            "msg": f"unknown taxonomy term {a.taxonomy_term_id}",
            "type": "value_error.unknown_taxonomy_term",
        }
        for i, a in enumerate(service.attributes)
        if a.taxonomy_term_id not in codes
    ]
    if errors:
        raise ValidationFailed(errors)
    known = {c.value for c in LinkageCategory}
    return [LinkageCategory(code) for found in codes.values() for code in found if code in known]
