"""What the engagement service tells us about a case, as far as the referral's status goes.

The consumer translates engagement events into a `CaseMilestone`; `event_type` keeps the
engagement event's name so the resulting `ReferralStatusChanged` can cite its cause.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from uuid import UUID

from contracts.referral import DischargeReason, ReferralStatus


class CaseEventType(StrEnum):
    CONTACTED = "CaseContacted"  # first successful contact
    ENGAGED = "CaseEngaged"  # first session held and baseline Well-being Star recorded
    UNABLE_TO_CONTACT = "UnableToContact"  # three failed attempts, no successful contact
    DISCHARGED = "CaseDischarged"


STATUS_AFTER = {
    CaseEventType.CONTACTED: ReferralStatus.CONTACTED,
    CaseEventType.ENGAGED: ReferralStatus.ENGAGED,
    CaseEventType.UNABLE_TO_CONTACT: ReferralStatus.UNABLE_TO_CONTACT,
    CaseEventType.DISCHARGED: ReferralStatus.DISCHARGED,
}


@dataclass(frozen=True)
class CaseMilestone:
    event_type: CaseEventType
    on: date
    event_id: UUID | None = None  # the engagement event's id: evidence, and a redelivery guard
    discharge_reason: DischargeReason | None = None  # required for, and only for, a discharge
    contacts_count: int | None = None  # successful contacts so far, when the case says

    def __post_init__(self) -> None:
        is_discharge = self.event_type is CaseEventType.DISCHARGED
        if is_discharge != (self.discharge_reason is not None):
            raise ValueError("a discharge reason is given with a discharge, and only then")
        if self.contacts_count is not None and self.contacts_count < 0:
            raise ValueError("contacts_count cannot be negative")

    @property
    def status_after(self) -> ReferralStatus:
        return STATUS_AFTER[self.event_type]
