"""Event payload base class and the registry of every published event type and version."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict

T = TypeVar("T", bound="type[EventPayload]")

_REGISTRY: dict[tuple[str, int], type[EventPayload]] = {}
_VERSIONS: dict[str, list[int]] = {}  # per event type, its registered versions sorted: decode asks per event


class EventPayload(BaseModel):
    """Base of every event payload: frozen, typed, past tense, versioned, strict about extras."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_type: ClassVar[str]
    schema_version: ClassVar[int] = 1
    aggregate_type: ClassVar[str]
    topic: ClassVar[str]


def register_event(cls: T) -> T:
    """Class decorator: list a payload type so codecs, schemas and AsyncAPI can find it."""
    key = (cls.event_type, cls.schema_version)
    if key in _REGISTRY and _REGISTRY[key] is not cls:
        raise ValueError(f"event type {key} registered twice")
    _REGISTRY[key] = cls
    _VERSIONS[cls.event_type] = sorted(version for name, version in _REGISTRY if name == cls.event_type)
    return cls


def event_class(event_type: str, schema_version: int) -> type[EventPayload]:
    try:
        return _REGISTRY[(event_type, schema_version)]
    except KeyError:
        raise LookupError(f"unknown event type {event_type} v{schema_version}") from None


def versions_of(event_type: str) -> list[int]:
    """Every registered version of one event type, oldest first (empty if it is not registered)."""
    return list(_VERSIONS.get(event_type, ()))


def event_types() -> list[type[EventPayload]]:
    """Every registered payload type, sorted for stable generated documents."""
    return [_REGISTRY[k] for k in sorted(_REGISTRY)]
