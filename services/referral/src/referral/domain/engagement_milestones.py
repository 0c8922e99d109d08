"""Engagement's case events, translated into the milestones the referral's lifecycle follows.

Engagement's `case_id` is the referral id. Discharge reasons map by value: referral's
`DischargeReason` holds every engagement `CaseDischargeReason` (kept in step by a unit test).
"""

from __future__ import annotations

from uuid import UUID

from contracts.engagement import CaseContacted, CaseDischarged, CaseEngaged, CaseReassigned, UnableToContact
from contracts.events import EventPayload
from contracts.referral import DischargeReason
from referral.domain.case_milestones import CaseEventType, CaseMilestone

# The only engagement events a referral follows (its milestones, and a case moving to another link
# worker); the consumer lets every other type pass undecoded.
FOLLOWED_CASE_EVENT_TYPES = frozenset(
    c.event_type for c in (CaseContacted, CaseEngaged, UnableToContact, CaseDischarged, CaseReassigned)
)


def milestone_of(event_id: UUID, payload: EventPayload | None) -> tuple[UUID, CaseMilestone] | None:
    """(referral id, milestone) for the case events that move a referral; None for any other event."""
    match payload:
        case CaseContacted():
            return payload.case_id, CaseMilestone(CaseEventType.CONTACTED, payload.contacted_on, event_id)
        case CaseEngaged():
            return payload.case_id, CaseMilestone(CaseEventType.ENGAGED, payload.engaged_on, event_id)
        case UnableToContact():
            return payload.case_id, CaseMilestone(CaseEventType.UNABLE_TO_CONTACT, payload.on, event_id)
        case CaseDischarged():
            return payload.case_id, CaseMilestone(
                CaseEventType.DISCHARGED,
                payload.discharged_on,
                event_id,
                discharge_reason=DischargeReason(payload.reason.value),
                contacts_count=payload.contacts_count,
            )
    return None
