"""The envelope every event travels in (docs/architecture.md §2): JSON on the wire, UTF-8."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import uuid6
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


def new_event_id() -> UUID:
    """A time-ordered UUIDv7, so ids sort roughly by creation time."""
    return UUID(str(uuid6.uuid7()))


class Envelope(BaseModel):
    """One event: who it is about, when it happened, when we learnt it, and what it says."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: UUID
    event_type: str = Field(min_length=1, max_length=100)
    schema_version: int = Field(ge=1)
    aggregate_type: str = Field(min_length=1, max_length=100)
    aggregate_id: str = Field(min_length=1, max_length=200)
    aggregate_version: int = Field(ge=1)
    occurred_at: AwareDatetime  # business time: when it happened in the world
    recorded_at: AwareDatetime  # system time: set by the server that stored it, never by a client
    producer: str = Field(min_length=1, max_length=100)
    correlation_id: UUID | None = None
    causation_id: UUID | None = None
    payload: dict[str, Any]

    def to_bytes(self) -> bytes:
        return self.model_dump_json().encode("utf-8")

    @classmethod
    def from_bytes(cls, raw: bytes) -> Envelope:
        return cls.model_validate_json(raw)

    def kafka_headers(self) -> list[tuple[str, bytes]]:
        """Headers repeat the type and version so routers need not parse the body."""
        return [
            ("event_type", self.event_type.encode()),
            ("schema_version", str(self.schema_version).encode()),
        ]

    @property
    def key(self) -> bytes:
        """Kafka message key: the aggregate whose order matters."""
        return self.aggregate_id.encode("utf-8")


def utc_instant(value: datetime) -> datetime:
    """Refuse naive datetimes: every instant on the platform carries its offset."""
    if value.tzinfo is None:
        raise ValueError("instant must carry a UTC offset")
    return value
