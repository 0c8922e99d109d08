"""What a case is at one version: its facts and what follows from them (no fold here: `case_fold`
builds it from events, so the pieces the fold uses can read this without importing it back)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from uuid import UUID

from contracts.engagement import CaseDischargeReason
from engagement.domain.casework_records import ConcernRecord, ConsentRecord, PreferencesRecord, StepRecord
from engagement.domain.goals import GoalRecord
from engagement.domain.linkages import LinkageRecord
from engagement.domain.records import ContactRecord, Extension, FailedAttempt, StarRecord


class CaseStatus(StrEnum):
    """Where the case stands; the same words the referral uses for its episode."""

    ALLOCATED = "allocated"
    CONTACTED = "contacted"
    ENGAGED = "engaged"
    UNABLE_TO_CONTACT = "unable_to_contact"
    DISCHARGED = "discharged"
    WITHDRAWN = "withdrawn"  # its referral was withdrawn as made in error: no outcome, no summary


@dataclass(frozen=True)
class CaseState:
    case_id: UUID | None = None
    version: int = 0
    patient_id: UUID | None = None
    provider_id: UUID | None = None
    link_worker_id: UUID | None = None
    practice_ods_code: str | None = None
    opened_on: date | None = None
    contacts: tuple[ContactRecord, ...] = ()
    failed_attempts: tuple[FailedAttempt, ...] = ()
    contacted_on: date | None = None
    engaged_on: date | None = None
    unable_to_contact_on: date | None = None
    goals: tuple[GoalRecord, ...] = ()
    stars: tuple[StarRecord, ...] = ()
    linkages: tuple[LinkageRecord, ...] = ()
    extensions: tuple[Extension, ...] = ()
    discharged_on: date | None = None
    discharge_reason: CaseDischargeReason | None = None
    consents: tuple[ConsentRecord, ...] = ()  # every change, oldest first
    preferences: tuple[PreferencesRecord, ...] = ()  # every set recorded; the last stands
    concerns: tuple[ConcernRecord, ...] = ()
    steps: tuple[StepRecord, ...] = ()  # action-plan steps of every goal
    withdrawn_on: date | None = None

    @property
    def status(self) -> CaseStatus:
        if self.withdrawn_on is not None:
            return CaseStatus.WITHDRAWN
        if self.discharged_on is not None:
            return CaseStatus.DISCHARGED
        if self.unable_to_contact_on is not None:
            return CaseStatus.UNABLE_TO_CONTACT
        if self.engaged_on is not None:
            return CaseStatus.ENGAGED
        return CaseStatus.CONTACTED if self.contacted_on is not None else CaseStatus.ALLOCATED

    @property
    def is_closed(self) -> bool:
        return self.status in (CaseStatus.DISCHARGED, CaseStatus.UNABLE_TO_CONTACT, CaseStatus.WITHDRAWN)

    @property
    def is_open(self) -> bool:
        return self.case_id is not None and not self.is_closed

    @property
    def attended_contacts_count(self) -> int:
        return sum(1 for c in self.contacts if c.attended)

    def goal(self, goal_id: UUID) -> GoalRecord | None:
        return next((g for g in self.goals if g.goal_id == goal_id), None)

    def star(self, star_id: UUID) -> StarRecord | None:
        return next((s for s in self.stars if s.star_id == star_id), None)

    def linkage(self, linkage_id: UUID) -> LinkageRecord | None:
        return next((k for k in self.linkages if k.linkage_id == linkage_id), None)

    def concern(self, concern_id: UUID) -> ConcernRecord | None:
        return next((c for c in self.concerns if c.concern_id == concern_id), None)

    def step(self, step_id: UUID) -> StepRecord | None:
        return next((s for s in self.steps if s.step_id == step_id), None)

    @property
    def last_activity_on(self) -> date | None:
        """The latest date anything was recorded as happening in the case."""
        days = [
            self.opened_on,
            self.contacted_on,
            self.engaged_on,
            *(c.on for c in self.contacts),
            *(a.on for a in self.failed_attempts),
            *(s.taken_on for s in self.stars),
            *(g.last_changed_on for g in self.goals),
            *(k.last_changed_on for k in self.linkages),
            *(e.extended_on for e in self.extensions),
            *(c.on for c in self.consents),
            *(p.recorded_on for p in self.preferences),
            *(s.last_changed_on for s in self.steps),
        ]
        return max((d for d in days if d is not None), default=None)
