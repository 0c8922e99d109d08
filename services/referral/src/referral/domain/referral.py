"""The Referral aggregate: commands decide, returning new events; nothing here does I/O.

Commands never change the referral they are called on: apply the returned events (or reload from
the event store) to see the new state. Every command checks the lifecycle first, so a forbidden
move raises InvalidTransition and returns nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from contracts.events import EventPayload
from contracts.pii import EncryptedField
from contracts.referral import (
    DeclineReason,
    DischargeReason,
    EarlierEpisode,
    ReferralAllocated,
    ReferralAssessed,
    ReferralClosed,
    ReferralDeclined,
    ReferralReassigned,
    ReferralReceived,
    ReferralStatus,
    ReferralStatusChanged,
    ReferralWithdrawn,
    WithdrawalReason,
)
from referral.domain.age import age_on
from referral.domain.allocation import Allocation
from referral.domain.case_milestones import CaseMilestone
from referral.domain.eligibility import EligibilityFacts, assess_eligibility
from referral.domain.errors import InvalidCommand
from referral.domain.intake_forms import ValidReferral
from referral.domain.lifecycle import HOLDS_A_PLACE, ensure_transition
from referral.domain.re_referral import link_episode
from referral.domain.referral_closing import closing_event
from referral.domain.referral_state import ReferralState
from referral.domain.rules import W2W_2015, EligibilityRules
from referral.domain.sealed_details import SealedPatientDetails


class Referral(ReferralState):
    @staticmethod
    def receive(
        referral_id: UUID,
        patient_id: UUID,
        referral: ValidReferral,
        sealed: SealedPatientDetails,
        earlier: Sequence[EarlierEpisode] = (),
    ) -> list[EventPayload]:
        """A well-formed referral becomes the first event of a new episode; of a re-referral, followed
        by the episode's link to the patient's ended episodes (`earlier`, docs/domain.md §3.7)."""
        if (referral.email is None) != (sealed.email is None) or (referral.reason is None) != (sealed.reason is None):
            raise InvalidCommand("the sealed details do not match the referral's optional fields")
        return [
            ReferralReceived(
                referral_id=referral_id,
                patient_id=patient_id,
                practice_ods_code=referral.practice_ods_code,
                referrer_name=referral.referrer_name,
                referrer_role=referral.referrer_role,
                conditions=referral.conditions,
                mental_health=referral.mental_health,
                age_at_referral=age_on(referral.date_of_birth, referral.referred_on),
                sex=referral.sex,
                referred_on=referral.referred_on,
                **vars(sealed),
            ),
            *link_episode(referral_id, patient_id, earlier),
        ]

    def assess(
        self, *, practice_participating: bool, has_open_episode: bool, on: date, rules: EligibilityRules = W2W_2015
    ) -> list[EventPayload]:
        """Eligibility on the referral date; an ineligible referral is closed at once."""
        facts = EligibilityFacts(self.age_at_referral or 0, self.conditions, practice_participating, has_open_episode)
        decision = assess_eligibility(facts, rules)
        self._check(ReferralStatus.ELIGIBLE if decision.eligible else ReferralStatus.INELIGIBLE, on)
        assessed = ReferralAssessed(
            referral_id=self._id,
            eligible=decision.eligible,
            reasons=decision.reasons,
            rulebook_id=decision.rulebook_id,
            assessed_on=on,
        )
        return self._closing_if_terminal([assessed], on)

    def allocate(self, allocation: Allocation, on: date) -> list[EventPayload]:
        self._check(ReferralStatus.ALLOCATED, on)
        return [
            ReferralAllocated(
                referral_id=self._id,
                provider_id=allocation.provider_id,
                link_worker_id=allocation.link_worker_id,
                allocated_on=on,
            )
        ]

    def record_case_event(self, milestone: CaseMilestone) -> list[EventPayload]:
        """Contact, engagement, failure to contact or discharge, as reported by the case.
        A redelivered case event (same event id) changes nothing."""
        if milestone.event_id is not None and milestone.event_id in self.case_events_seen:
            return []
        self._check(milestone.status_after, milestone.on)
        changed = ReferralStatusChanged(
            referral_id=self._id,
            from_status=self.status,
            to_status=milestone.status_after,
            on=milestone.on,
            cause_event_type=milestone.event_type.value,
            cause_event_id=milestone.event_id,
        )
        return self._closing_if_terminal(
            [changed],
            milestone.on,
            discharge_reason=milestone.discharge_reason,
            contacts_count=milestone.contacts_count,
        )

    def reassign(self, link_worker_id: UUID, on: date, cause_event_id: UUID | None = None) -> list[EventPayload]:
        """The case moved to another link worker (same provider, engagement checked it): the place in the
        caseload moves too. Only while the referral holds a place; a redelivery or the same worker
        changes nothing."""
        if cause_event_id is not None and cause_event_id in self.case_events_seen:
            return []
        if self.status not in HOLDS_A_PLACE:
            raise InvalidCommand(
                f"a {self.status.value if self.status else 'missing'} referral holds no place in a caseload to move"
            )
        if link_worker_id == self.link_worker_id:
            return []
        if self.allocated_on is not None and on < self.allocated_on:
            raise InvalidCommand(f"the reassignment date is before the allocation ({self.allocated_on})")
        return [
            ReferralReassigned(
                referral_id=self._id,
                from_link_worker_id=self.link_worker_id,
                link_worker_id=link_worker_id,
                reassigned_on=on,
                cause_event_id=cause_event_id,
            )
        ]

    def decline(self, reason: DeclineReason, on: date, note: EncryptedField | None = None) -> list[EventPayload]:
        """The patient declines; allowed at any point after the referral was found eligible."""
        self._check_ending(ReferralStatus.DECLINED, on)
        declined = ReferralDeclined(
            referral_id=self._id, from_status=self.status, reason_code=reason, reason_text=note, declined_on=on
        )
        return self._closing_if_terminal([declined], on)

    def withdraw(self, reason: WithdrawalReason, on: date) -> list[EventPayload]:
        """A referral made in error is withdrawn (docs/domain.md §3.6): from any open status after
        assessment; terminal, and no `ReferralClosed` follows (no summary, no outcome)."""
        self._check_ending(ReferralStatus.WITHDRAWN, on)
        assert self.patient_id is not None and self.practice_ods_code is not None
        return [
            ReferralWithdrawn(
                referral_id=self._id,
                patient_id=self.patient_id,
                practice_ods_code=self.practice_ods_code,
                from_status=self.status,
                reason_code=reason,
                withdrawn_on=on,
                provider_id=self.provider_id,
                link_worker_id=self.link_worker_id,
            )
        ]

    @property
    def _id(self) -> UUID:
        assert self.referral_id is not None  # _check has refused an empty referral by now
        return self.referral_id

    def _check(self, to_status: ReferralStatus, on: date, since: date | None = None) -> None:
        """The move is allowed and not dated before `since` (the referral's last change by default)."""
        ensure_transition(self.status, to_status)
        since = since or self.status_since
        if since is not None and on < since:
            raise InvalidCommand(f"{to_status.value} cannot be dated before the referral's last change ({since})")

    def _check_ending(self, to_status: ReferralStatus, on: date) -> None:
        """A decline or withdrawal before first contact may be dated from the assessment on, allocated
        or not: bounding it by the allocation would tell the practice, which is shown neither the
        allocation nor its date, whether its referral was held in the queue (docs/security.md §3.1).
        Engagement closes the case no earlier than it opened (its `last_activity_on`)."""
        self._check(to_status, on, self.known_to_practice_since)

    def _closing_if_terminal(
        self,
        events: list[EventPayload],
        on: date,
        *,
        discharge_reason: DischargeReason | None = None,
        contacts_count: int | None = None,
    ) -> list[EventPayload]:
        after = self.apply_all(events)
        if not after.is_closed:
            return events
        closed: ReferralClosed = closing_event(after, on, discharge_reason, contacts_count)
        return [*events, closed]
