"""A referral's state as a fold over its events; every event applied adds one to the version."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Self, TypeVar
from uuid import UUID

from contracts.events import EventPayload
from contracts.referral import (
    DeclineReason,
    DischargeReason,
    EarlierEpisode,
    IneligibilityReason,
    LongTermCondition,
    MentalHealthNeed,
    PatientDetailsCorrected,
    PatientPracticeChanged,
    ReferralAllocated,
    ReferralAssessed,
    ReferralClosed,
    ReferralDeclined,
    ReferralEntriesCorrected,
    ReferralEpisodeLinked,
    ReferralReassigned,
    ReferralReceived,
    ReferralStatus,
    ReferralStatusChanged,
    ReferralWithdrawn,
    ReferrerRole,
    WithdrawalReason,
)
from referral.domain.lifecycle import OPEN_STATUSES, TERMINAL_STATUSES
from referral.domain.re_referral import previous_link_worker

State = TypeVar("State", bound="ReferralState")


@dataclass(frozen=True)
class ReferralState:
    referral_id: UUID | None = None
    version: int = 0
    status: ReferralStatus | None = None
    status_since: date | None = None
    patient_id: UUID | None = None
    practice_ods_code: str | None = None
    referred_on: date | None = None
    age_at_referral: int | None = None
    conditions: tuple[LongTermCondition, ...] = ()
    mental_health: tuple[MentalHealthNeed, ...] = ()
    referrer_name: str | None = None
    referrer_role: ReferrerRole | None = None
    ineligibility_reasons: tuple[IneligibilityReason, ...] = ()
    assessed_on: date | None = None
    provider_id: UUID | None = None
    link_worker_id: UUID | None = None
    allocated_on: date | None = None
    first_contact_on: date | None = None
    engaged_on: date | None = None
    decline_reason: DeclineReason | None = None
    discharge_reason: DischargeReason | None = None
    closed_on: date | None = None
    contacts_count: int | None = None
    withdrawal_reason: WithdrawalReason | None = None
    case_events_seen: frozenset[UUID] = frozenset()
    episode_number: int = 1
    earlier_episodes: tuple[EarlierEpisode, ...] = ()

    @classmethod
    def from_events(cls, events: Iterable[EventPayload]) -> Self:
        return cls().apply_all(events)

    def apply_all(self, events: Iterable[EventPayload]) -> Self:
        state = self
        for event in events:
            state = state.apply(event)
        return state

    def apply(self, event: EventPayload) -> Self:
        if self.referral_id is None and not isinstance(event, ReferralReceived):
            raise ValueError(f"a referral's history starts with ReferralReceived, not {event.event_type}")
        if self.referral_id is not None and getattr(event, "referral_id", None) != self.referral_id:
            raise ValueError(f"{event.event_type} belongs to another referral")
        return replace(_evolve(self, event), version=self.version + 1)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_closed(self) -> bool:
        return self.status in TERMINAL_STATUSES

    @property
    def known_to_practice_since(self) -> date | None:
        """The date of the referral's last change as its practice knows it: until first contact an
        allocated referral is shown `accepted` since its assessment (domain/practice_view.py), so
        that is the date, not the allocation's."""
        if self.status is ReferralStatus.ALLOCATED:
            return self.assessed_on
        return self.status_since

    @property
    def previous_link_worker_id(self) -> UUID | None:
        """Who last held a case of the patient (a re-referral is offered to them first)."""
        return previous_link_worker(self.earlier_episodes)


def _evolve(state: State, event: EventPayload) -> State:
    match event:
        case ReferralReceived():
            return replace(
                state,
                referral_id=event.referral_id,
                patient_id=event.patient_id,
                status=ReferralStatus.RECEIVED,
                status_since=event.referred_on,
                practice_ods_code=event.practice_ods_code,
                referred_on=event.referred_on,
                age_at_referral=event.age_at_referral,
                conditions=event.conditions,
                mental_health=event.mental_health,
                referrer_name=event.referrer_name,
                referrer_role=event.referrer_role,
            )
        case ReferralEpisodeLinked():
            return replace(state, episode_number=event.episode_number, earlier_episodes=event.earlier_episodes)
        case ReferralEntriesCorrected():
            return _entries_corrected(state, event)
        case ReferralAssessed():
            status = ReferralStatus.ELIGIBLE if event.eligible else ReferralStatus.INELIGIBLE
            return replace(
                state,
                status=status,
                status_since=event.assessed_on,
                assessed_on=event.assessed_on,
                ineligibility_reasons=event.reasons,
            )
        case ReferralAllocated():
            return replace(
                state,
                status=ReferralStatus.ALLOCATED,
                status_since=event.allocated_on,
                provider_id=event.provider_id,
                link_worker_id=event.link_worker_id,
                allocated_on=event.allocated_on,
            )
        case ReferralStatusChanged():
            return _status_changed(state, event)
        case ReferralReassigned():
            seen = state.case_events_seen | ({event.cause_event_id} if event.cause_event_id else set())
            return replace(state, link_worker_id=event.link_worker_id, case_events_seen=frozenset(seen))
        case ReferralDeclined():
            return replace(
                state, status=ReferralStatus.DECLINED, status_since=event.declined_on, decline_reason=event.reason_code
            )
        case PatientDetailsCorrected():
            return state  # identifiable details live sealed in events and the read model, not in state
        case PatientPracticeChanged():
            return replace(state, practice_ods_code=event.practice_ods_code)
        case ReferralWithdrawn():
            return replace(
                state,
                status=ReferralStatus.WITHDRAWN,
                status_since=event.withdrawn_on,
                closed_on=event.withdrawn_on,
                withdrawal_reason=event.reason_code,
            )
        case ReferralClosed():
            return replace(
                state,
                status=event.status,
                closed_on=event.closed_on,
                discharge_reason=event.discharge_reason,
                contacts_count=event.contacts_count,
            )
    raise ValueError(f"a referral does not record {event.event_type}")


def _entries_corrected(state: State, event: ReferralEntriesCorrected) -> State:
    changes = {
        name: value
        for name in ("conditions", "mental_health", "referred_on", "age_at_referral", "referrer_name", "referrer_role")
        if (value := getattr(event, name)) is not None
    }
    state = replace(state, **changes)
    if event.found_ineligible:
        return replace(
            state,
            status=ReferralStatus.INELIGIBLE,
            status_since=event.corrected_on,
            ineligibility_reasons=event.criteria_failed,
        )
    return state


def _status_changed(state: State, event: ReferralStatusChanged) -> State:
    seen = state.case_events_seen | ({event.cause_event_id} if event.cause_event_id else set())
    state = replace(state, status=event.to_status, status_since=event.on, case_events_seen=frozenset(seen))
    if event.to_status is ReferralStatus.CONTACTED:
        return replace(state, first_contact_on=event.on)
    if event.to_status is ReferralStatus.ENGAGED:
        return replace(state, engaged_on=event.on)
    return state
