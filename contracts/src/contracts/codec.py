"""Bytes <-> typed events: the one place that parses, upcasts and validates what comes off Kafka."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import ValidationError

import contracts.catalog  # noqa: F401  (registers every event type, so decode never misses one)
from contracts.envelope import Envelope, new_event_id
from contracts.errors import ContractError, UnknownVersionError
from contracts.events import EventPayload, event_class, versions_of
from contracts.upcasting import upcast

__all__ = ["ContractError", "decode", "encode"]

_MAX_REASONS = 5


def encode(
    payload: EventPayload,
    *,
    aggregate_id: str | UUID,
    aggregate_version: int,
    occurred_at: datetime,
    producer: str,
    recorded_at: datetime,
    event_id: UUID | None = None,
    correlation_id: UUID | None = None,
    causation_id: UUID | None = None,
) -> Envelope:
    """Wrap a typed payload in its envelope; type, version and aggregate type come from the class."""
    cls = type(payload)
    if event_class(cls.event_type, cls.schema_version) is not cls:  # only registered types go out
        raise LookupError(f"{cls.__name__} is not the registered class for {cls.event_type} v{cls.schema_version}")
    return Envelope(
        event_id=event_id or new_event_id(),
        event_type=cls.event_type,
        schema_version=cls.schema_version,
        aggregate_type=cls.aggregate_type,
        aggregate_id=str(aggregate_id),
        aggregate_version=aggregate_version,
        occurred_at=occurred_at,
        recorded_at=recorded_at,
        producer=producer,
        correlation_id=correlation_id,
        causation_id=causation_id,
        payload=payload.model_dump(mode="json"),
    )


def decode(raw: bytes) -> tuple[Envelope, EventPayload | None]:
    """Parse, upcast to the latest version and validate. Payload is None for unregistered types.

    Raises ContractError (reason included) for anything a consumer should dead-letter.
    """
    try:
        envelope = Envelope.from_bytes(raw)
    except ValidationError as err:
        raise ContractError(f"malformed envelope: {_reasons(err)}") from None
    if not versions_of(envelope.event_type):
        return envelope, None  # not ours to judge: the consumer decides whether it cares
    envelope = upcast(envelope)
    cls = _payload_class(envelope)
    try:
        return envelope, cls.model_validate(envelope.payload)
    except ValidationError as err:
        raise ContractError(
            f"{envelope.event_type} v{envelope.schema_version} payload invalid: {_reasons(err)}"
        ) from None


def _payload_class(envelope: Envelope) -> type[EventPayload]:
    try:
        cls = event_class(envelope.event_type, envelope.schema_version)
    except LookupError:
        raise UnknownVersionError(
            f"{envelope.event_type} v{envelope.schema_version} is not a known version "
            f"(known: {versions_of(envelope.event_type)})"
        ) from None
    if envelope.aggregate_type != cls.aggregate_type:
        raise ContractError(f"{envelope.event_type} is about a {cls.aggregate_type}, not a {envelope.aggregate_type}")
    return cls


def _reasons(err: ValidationError) -> str:
    """Field-level reasons, short enough for a DLQ header."""
    parts = [f"{'.'.join(map(str, e['loc'])) or '<root>'}: {e['msg']}" for e in err.errors()[:_MAX_REASONS]]
    more = err.error_count() - len(parts)
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")
