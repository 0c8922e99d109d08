"""Use cases: each runs inside the caller's transaction (`cur`), decides with the domain, appends the
events with their outbox rows, and updates the ORUK read model, all in that one transaction."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from contracts.codec import decode, encode
from contracts.engagement import LinkageCategory
from contracts.events import EventPayload
from linkwell_runtime import eventstore

from directory.adapters import tables
from directory.domain import model
from directory.domain.errors import Conflict, ValidationFailed
from directory.domain.inputs import OrganizationIn, ServiceIn
from directory.domain.model import ServiceState

PRODUCER = "directory"


@dataclass(frozen=True)
class Context:
    """Who asked, where events go, and the clock."""

    topic: str
    now: datetime
    correlation_id: UUID | None = None


def publish_service(cur, service: ServiceIn, ctx: Context) -> None:
    state = _service_state(cur, service.id)
    categories = _check_references(cur, service)
    _commit(cur, service.id, state.version, model.publish_service(state, service, categories, ctx.now), ctx)
    tables.save_service(cur, service, ctx.now)


def update_service(cur, service: ServiceIn, ctx: Context) -> None:
    state = _service_state(cur, service.id)
    categories = _check_references(cur, service) if state.exists else []
    _commit(cur, service.id, state.version, model.update_service(state, service, categories, ctx.now), ctx)
    tables.save_service(cur, service, ctx.now)


def change_service_status(cur, service_id: UUID, status, ctx: Context) -> bool:
    """True when the status changed; False when it already was `status`."""
    state = _service_state(cur, service_id)
    events = model.change_status(state, service_id, None, status, ctx.now)
    _commit(cur, service_id, state.version, events, ctx)
    if events:
        tables.save_service_status(cur, service_id, status, ctx.now)
    return bool(events)


def service_organization(cur, service_id: UUID) -> UUID | None:
    return _service_state(cur, service_id).organization_id


def service_status(cur, service_id: UUID):
    return _service_state(cur, service_id).status


def service_exists(cur, service_id: UUID) -> bool:
    return _service_state(cur, service_id).exists


def publish_organization(cur, org: OrganizationIn, ctx: Context) -> None:
    version = len(_history(cur, org.id, "organization"))
    _commit(cur, org.id, version, model.publish_organization(version, org), ctx)
    tables.save_organization(cur, org)


def update_organization(cur, org: OrganizationIn, ctx: Context) -> None:
    version = len(_history(cur, org.id, "organization"))
    _commit(cur, org.id, version, model.update_organization(version, org), ctx)
    tables.save_organization(cur, org)


def _service_state(cur, service_id: UUID) -> ServiceState:
    return ServiceState.from_events(_history(cur, service_id, "service"))


def _history(cur, aggregate_id: UUID, aggregate_type: str) -> list[tuple[int, EventPayload]]:
    """The events of one aggregate of `aggregate_type`. Services and organisations share one id space
    in the event store, so an id that is already the other kind's is a Conflict (409): its stream
    is never read as, or appended to as, this kind."""
    envelopes = eventstore.load(cur, str(aggregate_id))
    other = next((e.aggregate_type for e in envelopes if e.aggregate_type != aggregate_type), None)
    if other is not None:
        raise Conflict(f"{aggregate_id} is the id of another kind of record ({other}), not a {aggregate_type}")
    return [(e.aggregate_version, decode(e.to_bytes())[1]) for e in envelopes]


def _check_references(cur, service: ServiceIn) -> list[LinkageCategory]:
    """The organisation and every taxonomy term must exist; returns the linkage categories tagged."""
    errors = []
    if not tables.organization_exists(cur, service.organization_id):
        errors.append({"loc": ["body", "organization_id"], "msg": f"unknown organization {service.organization_id}",
                       "type": "value_error.unknown_organization"})
    codes = tables.term_codes(cur, [a.taxonomy_term_id for a in service.attributes])
    errors += [{"loc": ["body", "attributes", i, "taxonomy_term_id"], "msg": f"unknown taxonomy term {a.taxonomy_term_id}",
                "type": "value_error.unknown_taxonomy_term"}
               for i, a in enumerate(service.attributes) if a.taxonomy_term_id not in codes]
    if errors:
        raise ValidationFailed(errors)
    known = {c.value for c in LinkageCategory}
    return [LinkageCategory(code) for found in codes.values() for code in found if code in known]


def _commit(cur, aggregate_id: UUID, version: int, events: Sequence[EventPayload], ctx: Context) -> None:
    recorded_at = datetime.now(UTC)
    envelopes = [encode(e, aggregate_id=aggregate_id, aggregate_version=version + i, occurred_at=ctx.now,
                        recorded_at=recorded_at, producer=PRODUCER, correlation_id=ctx.correlation_id)
                 for i, e in enumerate(events, start=1)]
    eventstore.append(cur, envelopes, ctx.topic)
