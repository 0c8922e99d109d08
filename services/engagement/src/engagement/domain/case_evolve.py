"""How each engagement event changes a case's state (the body of the fold)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar
from uuid import UUID

from contracts.calendar import local_date
from contracts.casework import (
    ActionStepAdded,
    ActionStepUpdated,
    CaseWithdrawn,
    ConsentRecorded,
    PreferencesRecorded,
    SafeguardingConcernClosed,
    SafeguardingConcernEscalated,
    SafeguardingConcernRaised,
)
from contracts.engagement import (
    CaseContacted,
    CaseDischarged,
    CaseEngaged,
    CaseExtended,
    CaseOpened,
    CaseReassigned,
    ContactAttemptFailed,
    ContactRecorded,
    GoalAgreed,
    GoalUpdated,
    LinkageMade,
    LinkageUpdated,
    UnableToContact,
    WellbeingStarCorrected,
    WellbeingStarRecorded,
    WellbeingStarVoided,
)
from contracts.events import EventPayload
from engagement.domain.case_state import CaseState
from engagement.domain.casework_records import (
    ConcernRecord,
    ConsentRecord,
    Escalation,
    PreferencesRecord,
    StepChange,
    StepRecord,
)
from engagement.domain.goals import GoalRecord, StatusChange
from engagement.domain.linkages import LinkageRecord
from engagement.domain.records import ContactRecord, Extension, FailedAttempt, StarCorrection, StarRecord

S = TypeVar("S", bound=CaseState)


def evolve(state: S, event: EventPayload) -> S:
    return replace(_changed(state, event), version=state.version + 1)


def _changed(state: S, event: EventPayload) -> S:
    match event:
        case CaseOpened():
            return replace(
                state,
                case_id=event.case_id,
                patient_id=event.patient_id,
                provider_id=event.provider_id,
                link_worker_id=event.link_worker_id,
                practice_ods_code=event.practice_ods_code,
                opened_on=event.allocated_on,
            )
        case CaseReassigned():
            return replace(state, link_worker_id=event.link_worker_id)
        case ContactRecorded():
            return _contact_recorded(state, event)
        case ContactAttemptFailed():
            attempt = FailedAttempt(event.attempt_id, local_date(event.occurred_at))
            return replace(state, failed_attempts=(*state.failed_attempts, attempt))
        case CaseContacted():
            return replace(state, contacted_on=event.contacted_on)
        case UnableToContact():
            return replace(state, unable_to_contact_on=event.on)
        case GoalAgreed():
            goal = GoalRecord(
                event.goal_id, event.star_areas, event.target_date, event.agreed_on, event.supersedes_goal_id
            )
            return replace(state, goals=(*state.goals, goal))
        case GoalUpdated():
            change = StatusChange(event.from_status, event.to_status, event.on)
            goals = tuple(
                replace(g, status=event.to_status, history=(*g.history, change)) if g.goal_id == event.goal_id else g
                for g in state.goals
            )
            return replace(state, goals=goals)
        case WellbeingStarRecorded():
            star = StarRecord(event.star_id, event.taken_on, event.scores, event.kind)
            return replace(state, stars=(*state.stars, star))
        case WellbeingStarCorrected():
            fix = StarCorrection(event.scores, event.corrected_on)
            return _star_changed(state, event.star_id, lambda s: replace(s, corrections=(*s.corrections, fix)))
        case WellbeingStarVoided():
            return _star_changed(state, event.star_id, lambda s: replace(s, voided_on=event.voided_on))
        case CaseEngaged():
            return replace(state, engaged_on=event.engaged_on)
        case LinkageMade():
            linkage = LinkageRecord(event.linkage_id, event.service_id, event.category, event.made_on)
            return replace(state, linkages=(*state.linkages, linkage))
        case LinkageUpdated():
            change = StatusChange(event.from_status, event.to_status, event.on)
            linkages = tuple(
                replace(k, status=event.to_status, history=(*k.history, change))
                if k.linkage_id == event.linkage_id
                else k
                for k in state.linkages
            )
            return replace(state, linkages=linkages)
        case CaseExtended():
            return replace(state, extensions=(*state.extensions, Extension(event.extended_on, event.review_on)))
        case CaseDischarged():
            return replace(state, discharged_on=event.discharged_on, discharge_reason=event.reason)
    return _casework_changed(state, event)


def _casework_changed(state: S, event: EventPayload) -> S:
    """Consent, preferences, safeguarding and action plans (issue 18)."""
    match event:
        case ConsentRecorded():
            return replace(state, consents=(*state.consents, ConsentRecord(event.consent, event.state, event.on)))
        case PreferencesRecorded():
            prefs = PreferencesRecord(
                event.contact_modes,
                event.contact_times,
                event.language,
                event.interpreter_needed,
                event.accessibility_needs,
                event.has_accessibility_note,
                event.recorded_on,
            )
            return replace(state, preferences=(*state.preferences, prefs))
        case SafeguardingConcernRaised():
            concern = ConcernRecord(
                event.concern_id, event.category, event.risk_level, event.immediate_action_taken, event.raised_on
            )
            return replace(state, concerns=(*state.concerns, concern))
        case SafeguardingConcernEscalated():
            up = Escalation(event.escalated_to, event.escalated_on)
            return _concern_changed(state, event.concern_id, lambda c: replace(c, escalations=(*c.escalations, up)))
        case SafeguardingConcernClosed():
            return _concern_changed(
                state, event.concern_id, lambda c: replace(c, closed_on=event.closed_on, outcome=event.outcome)
            )
        case ActionStepAdded():
            step = StepRecord(event.step_id, event.goal_id, event.due_on, event.added_on)
            return replace(state, steps=(*state.steps, step))
        case ActionStepUpdated():
            change = StepChange(event.from_status, event.to_status, event.due_on, event.on)
            steps = tuple(
                replace(s, status=event.to_status, due_on=event.due_on, history=(*s.history, change))
                if s.step_id == event.step_id
                else s
                for s in state.steps
            )
            return replace(state, steps=steps)
        case CaseWithdrawn():
            return replace(state, withdrawn_on=event.withdrawn_on)
    raise ValueError(f"a case does not record {event.event_type}")


def _contact_recorded(state: S, event: ContactRecorded) -> S:
    on = local_date(event.occurred_at)
    contacts = (*state.contacts, ContactRecord(event.contact_id, event.occurred_at, on, event.attended))
    if event.attended:
        return replace(state, contacts=contacts)
    dna = FailedAttempt(event.contact_id, on)
    return replace(state, contacts=contacts, failed_attempts=(*state.failed_attempts, dna))


def _concern_changed(state: S, concern_id: UUID, change: Callable[[ConcernRecord], ConcernRecord]) -> S:
    return replace(state, concerns=tuple(change(c) if c.concern_id == concern_id else c for c in state.concerns))


def _star_changed(state: S, star_id: UUID, change: Callable[[StarRecord], StarRecord]) -> S:
    stars = tuple(change(s) if s.star_id == star_id else s for s in state.stars)
    return replace(state, stars=stars)
