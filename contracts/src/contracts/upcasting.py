"""Upcasters: lift an old payload one version at a time, so consumers only handle the newest shape.

A published event type is never changed incompatibly; a new `schema_version` comes with an upcaster
from the previous one (docs/architecture.md §2, "Evolution").
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from contracts.envelope import Envelope
from contracts.errors import MissingUpcasterError, UnknownVersionError
from contracts.events import versions_of

Payload = dict[str, Any]
Upcaster = Callable[[Payload], Payload]

_UPCASTERS: dict[tuple[str, int], Upcaster] = {}
_LIFTED_TO: dict[str, int] = {}  # per event type, the newest version an upcaster lifts to: asked per decoded event


def upcaster(event_type: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
    """Register `fn(payload) -> payload` lifting `event_type` from `from_version` to the next one."""

    def register(fn: Upcaster) -> Upcaster:
        key = (event_type, from_version)
        if key in _UPCASTERS and _UPCASTERS[key] is not fn:
            raise ValueError(f"upcaster for {event_type} v{from_version} registered twice")
        _UPCASTERS[key] = fn
        _LIFTED_TO[event_type] = max(_LIFTED_TO.get(event_type, 0), from_version + 1)
        return fn

    return register


def latest_version(event_type: str) -> int | None:
    """Newest version known from payload classes or upcasters; None if the type is unknown."""
    known = versions_of(event_type)
    lifted = _LIFTED_TO.get(event_type)
    if lifted is not None:
        known.append(lifted)
    return max(known, default=None)


def upcast(envelope: Envelope) -> Envelope:
    """The same event lifted to the latest version of its type (unchanged if already there)."""
    latest = latest_version(envelope.event_type)
    if latest is None or envelope.schema_version == latest:
        return envelope
    if envelope.schema_version > latest:
        raise UnknownVersionError(
            f"{envelope.event_type} v{envelope.schema_version} is newer than the latest known v{latest}"
        )
    payload = envelope.payload
    for version in range(envelope.schema_version, latest):
        payload = _step(envelope.event_type, version)(copy.deepcopy(payload))  # never mutate the original
        if not isinstance(payload, dict):
            raise TypeError(f"upcaster for {envelope.event_type} v{version} returned {type(payload).__name__}")
    return envelope.model_copy(update={"schema_version": latest, "payload": payload})


def _step(event_type: str, version: int) -> Upcaster:
    try:
        return _UPCASTERS[(event_type, version)]
    except KeyError:
        raise MissingUpcasterError(
            f"no upcaster for {event_type} v{version} -> v{version + 1}; the chain has a gap"
        ) from None
