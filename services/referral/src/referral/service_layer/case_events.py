"""Engagement's case events → the referral's lifecycle (consumer side).

- Events that do not move a referral (goals, Stars, linkages...) are ignored. A case reassigned to
  another link worker moves the referral's place in the caseloads with it (`ReferralReassigned`).
- A milestone the referral can no longer take (a duplicate under a new id, a contact after a
  decline, a date before the last change) is *stale*: recorded in `ignored_case_events`, not applied,
  not dead-lettered. Only a milestone for a referral that does not exist is poison.
- Undecodable or schema-invalid events never reach here: the runtime dead-letters them.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from contracts import Envelope
from contracts.engagement import CaseReassigned
from contracts.events import EventPayload
from linkwell_runtime.consumer import PoisonEvent
from linkwell_runtime.refusals import NotFound
from referral.adapters.ignored_case_events import record_ignored
from referral.adapters.savepoint import savepoint
from referral.domain import DomainError
from referral.domain.engagement_milestones import milestone_of
from referral.service_layer import lifecycle
from referral.service_layer.unit_of_work import ReferralUnitOfWork

Change = Callable[[ReferralUnitOfWork], object]


def apply_case_event(uow: ReferralUnitOfWork, envelope: Envelope, payload: EventPayload | None) -> None:
    """Apply one case event in the consumer's unit of work (caused by `envelope`)."""
    change = _change_for(envelope, payload)
    if change is None:
        return
    referral_id, apply = change
    try:
        with savepoint(uow.cur, "case_milestone"):
            apply(uow)
    except NotFound:
        raise PoisonEvent(
            f"{envelope.event_type} {envelope.event_id} is about unknown referral {referral_id}"
        ) from None
    except DomainError as refused:
        record_ignored(uow.cur, envelope.event_id, referral_id, envelope.event_type, str(refused), uow.now)


def _change_for(envelope: Envelope, payload: EventPayload | None) -> tuple[UUID, Change] | None:
    """(referral id, what to do with a unit of work) for the case events a referral follows, else None."""
    if isinstance(payload, CaseReassigned):
        return payload.case_id, lambda uow: lifecycle.record_reassignment(
            uow, payload.case_id, payload.link_worker_id, payload.reassigned_on, envelope.event_id
        )
    found = milestone_of(envelope.event_id, payload)
    if found is None:
        return None
    referral_id, milestone = found
    return referral_id, lambda uow: lifecycle.record_milestone(uow, referral_id, milestone)
