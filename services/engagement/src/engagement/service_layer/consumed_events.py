"""The consumer's one handler: referral and directory events, each applied in the consumer's transaction."""
from __future__ import annotations

from contracts import Envelope
from contracts.topics import DIRECTORY
from engagement.config import Settings
from engagement.service_layer.directory_events import apply_directory_event
from engagement.service_layer.referral_events import apply_referral_event
from engagement.service_layer.unit_of_work import Clock, UnitOfWork


def apply_event(cur, envelope: Envelope, payload, *, settings: Settings, clock: Clock) -> None:
    """Dispatch on the payload type (topics may be renamed in tests); unknown types are ignored."""
    if payload is None:
        return
    uow = UnitOfWork(cur=cur, settings=settings, now=clock())
    if payload.topic == DIRECTORY:
        apply_directory_event(uow, envelope, payload)
    else:
        apply_referral_event(uow, envelope, payload)
