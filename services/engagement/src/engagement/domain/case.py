"""The Case aggregate: commands decide, returning new events; nothing here does I/O.

Commands never change the case they are called on: apply the returned events (or reload from the
event store) to see the new state. A case opens when its referral is allocated; its id is the
referral id.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from contracts.casework import CaseWithdrawn
from contracts.engagement import CaseDischarged, CaseDischargeReason, CaseExtended, CaseOpened, CaseReassigned
from contracts.events import EventPayload
from contracts.referral import ReferralAllocated, ReferralReceived
from engagement.domain.action_plan_commands import ActionPlanCommands
from engagement.domain.consent_commands import ConsentCommands
from engagement.domain.contact_commands import ContactCommands
from engagement.domain.errors import InvalidCommand, ValidationProblem, fail_if
from engagement.domain.goal_commands import GoalCommands
from engagement.domain.inputs import (
    business_day_problems,
    member_problem,
    not_before_programme,
    text_problems,
    within_years,
)
from engagement.domain.linkage_commands import LinkageCommands
from engagement.domain.safeguarding_commands import SafeguardingCommands
from engagement.domain.star_commands import StarCommands

MAX_REVIEW_YEARS = 1  # an extension's review date is at most a year after it is decided


class Case(
    ContactCommands,
    GoalCommands,
    StarCommands,
    LinkageCommands,
    ConsentCommands,
    SafeguardingCommands,
    ActionPlanCommands,
):
    @staticmethod
    def open(
        *,
        case_id: UUID,
        patient_id: UUID,
        provider_id: UUID,
        link_worker_id: UUID,
        practice_ods_code: str,
        allocated_on: date,
    ) -> list[EventPayload]:
        return [
            CaseOpened(
                case_id=case_id,
                patient_id=patient_id,
                provider_id=provider_id,
                link_worker_id=link_worker_id,
                practice_ods_code=practice_ods_code,
                allocated_on=allocated_on,
            )
        ]

    @classmethod
    def open_from_referral(cls, received: ReferralReceived, allocated: ReferralAllocated) -> list[EventPayload]:
        """The case for an allocated referral, from the referral's own events."""
        if received.referral_id != allocated.referral_id:
            raise InvalidCommand("the allocation belongs to another referral")
        return cls.open(
            case_id=allocated.referral_id,
            patient_id=received.patient_id,
            provider_id=allocated.provider_id,
            link_worker_id=allocated.link_worker_id,
            practice_ods_code=received.practice_ods_code,
            allocated_on=allocated.allocated_on,
        )

    def reassign(
        self, link_worker_id: UUID, *, link_worker_provider_id: UUID, on: date, today: date
    ) -> list[EventPayload]:
        """Hand the case to another link worker of the same provider, `on` a day (not in the future, not
        before the case opened)."""
        self._ensure_open()
        if link_worker_provider_id != self.provider_id:
            raise InvalidCommand("a case can only move to a link worker of the provider that holds it")
        if link_worker_id == self.link_worker_id:
            raise InvalidCommand("that link worker already holds the case")
        fail_if(self._date_problems("reassigned_on", on, today))
        return [
            CaseReassigned(
                **{**self._stamp(), "link_worker_id": link_worker_id},
                from_link_worker_id=self.link_worker_id,
                reassigned_on=on,
            )
        ]

    def extend(self, *, reason: str, review_on: date, today: date, on: date | None = None) -> list[EventPayload]:
        """Link-worker discretion to keep supporting past the two-year limit, until `review_on`.

        Decided `on` a day (default today; reported as `extended_on`: not in the future, not before
        the case opened); `review_on` is after that day (an extension entered after the fact may have
        lapsed already) and at most a year after it: an extension is a new review date (docs/domain.md §3),
        not an open-ended one; a longer stay is another extension at that review."""
        self._ensure_open()
        on = today if on is None else on
        problems = text_problems("reason", reason, required=True) + self._date_problems("extended_on", on, today)
        review_problems = not_before_programme("review_on", review_on)
        if not review_problems and review_on <= on:
            review_problems.append(ValidationProblem("review_on", f"must be after the day it is extended ({on})"))
        problems += review_problems
        problems += within_years("review_on", review_on, on, MAX_REVIEW_YEARS, "the day it is extended")
        fail_if(problems)
        self._ensure_consented(on, "an extension")
        return [CaseExtended(**self._stamp(), extended_on=on, review_on=review_on)]

    def withdraw(self, *, withdrawn_on: date, referral_event_id: UUID) -> list[EventPayload]:
        """The referral was withdrawn as made in error (docs/domain.md §3.6): an open case closes with
        no outcome, no discharge and no summary; what was recorded stays. Dated the withdrawal, or the
        last thing recorded in the case when that is later (a case never closes before its own work).
        A closed case (or none) is left as it is: nothing to withdraw."""
        if not self.is_open:
            return []
        on = max(withdrawn_on, self.last_activity_on or withdrawn_on)
        return [CaseWithdrawn(**self._stamp(), withdrawn_on=on, referral_event_id=referral_event_id)]

    def discharge(self, reason: CaseDischargeReason | str, *, discharged_on: date, today: date) -> list[EventPayload]:
        self._ensure_open()
        fail_if(
            member_problem("reason", CaseDischargeReason, reason)
            + business_day_problems("discharged_on", discharged_on, today)
        )
        self._not_before(discharged_on, self.last_activity_on, "the last thing recorded in the case")
        return [
            CaseDischarged(
                **self._stamp(),
                reason=CaseDischargeReason(reason),
                discharged_on=discharged_on,
                contacts_count=self.attended_contacts_count,
                stars_count=sum(1 for s in self.stars if not s.is_voided),
            )
        ]
