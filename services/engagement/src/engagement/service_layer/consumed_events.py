"""The consumer's one handler: referral and directory events, each applied in the consumer's transaction
(the unit of work the runtime builds for it, caused by the event)."""

from __future__ import annotations

from contracts import Envelope
from contracts.events import EventPayload
from contracts.topics import DIRECTORY
from engagement.service_layer.directory_events import apply_directory_event
from engagement.service_layer.referral_events import apply_referral_event
from engagement.service_layer.unit_of_work import EngagementUnitOfWork


def apply_event(uow: EngagementUnitOfWork, envelope: Envelope, payload: EventPayload | None) -> None:
    """Dispatch on the payload type (topics may be renamed in tests); unknown types are ignored."""
    if payload is None:
        return
    if payload.topic == DIRECTORY:
        apply_directory_event(uow, envelope, payload)
    else:
        apply_referral_event(uow, envelope, payload)
