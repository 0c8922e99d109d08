"""Raising, escalating and closing safeguarding concerns (docs/domain.md §4.13). The description, the
action taken, whom it went to and the closing note are checked here and kept by the service, never
published: the events carry the category, risk level, kind of body and dates."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from contracts.casework import (
    ConcernOutcome,
    EscalatedTo,
    RiskLevel,
    SafeguardingCategory,
    SafeguardingConcernClosed,
    SafeguardingConcernEscalated,
    SafeguardingConcernRaised,
)
from contracts.events import EventPayload
from engagement.domain.case_base import CaseBase
from engagement.domain.casework_records import ConcernRecord
from engagement.domain.errors import ConcernClosed, InvalidCommand, NotFound, ValidationProblem, fail_if
from engagement.domain.inputs import member, member_problem, text_problems


class SafeguardingCommands(CaseBase):
    def raise_concern(
        self,
        concern_id: UUID,
        *,
        category: SafeguardingCategory | str,
        risk_level: RiskLevel | str,
        description: str,
        immediate_action: str | None,
        on: date,
        today: date,
    ) -> list[EventPayload]:
        """A concern raised `on` a day (not in the future, not before the case opened), open or closed case."""
        self._stamp()
        fail_if(
            member_problem("category", SafeguardingCategory, category)
            + member_problem("risk_level", RiskLevel, risk_level)
            + text_problems("description", description, required=True)
            + text_problems("immediate_action", immediate_action, required=False)
            + self._date_problems("raised_on", on, today)
        )
        if self.concern(concern_id) is not None:
            raise InvalidCommand("the concern is already recorded")
        return [
            SafeguardingConcernRaised(
                **self._stamp(),
                concern_id=concern_id,
                category=SafeguardingCategory(category),
                risk_level=RiskLevel(risk_level),
                immediate_action_taken=bool((immediate_action or "").strip()),
                raised_on=on,
            )
        ]

    def escalate_concern(
        self, concern_id: UUID, *, to: EscalatedTo | str, detail: str | None, on: date, today: date
    ) -> list[EventPayload]:
        """Passed to another body `on` a day (not before the concern's last change); `detail` names the
        team or person (required when `to` is `other`)."""
        concern = self._open_concern(concern_id, "escalated")
        problems = member_problem("escalated_to", EscalatedTo, to) + text_problems("detail", detail, required=False)
        if member(EscalatedTo, to) is EscalatedTo.OTHER and not (detail or "").strip():
            problems.append(ValidationProblem("detail", "say whom the concern went to"))
        fail_if(problems + self._concern_date("escalated_on", concern, on, today))
        return [
            SafeguardingConcernEscalated(
                **self._stamp(), concern_id=concern_id, escalated_to=EscalatedTo(to), escalated_on=on
            )
        ]

    def close_concern(
        self, concern_id: UUID, *, outcome: ConcernOutcome | str, note: str | None, on: date, today: date
    ) -> list[EventPayload]:
        """Closed with an outcome `on` a day (not before the concern's last change); a note is required
        when the outcome is `other`."""
        concern = self._open_concern(concern_id, "closed again")
        problems = member_problem("outcome", ConcernOutcome, outcome) + text_problems("note", note, required=False)
        if member(ConcernOutcome, outcome) is ConcernOutcome.OTHER and not (note or "").strip():
            problems.append(ValidationProblem("note", "say what the outcome was"))
        fail_if(problems + self._concern_date("closed_on", concern, on, today))
        return [
            SafeguardingConcernClosed(
                **self._stamp(), concern_id=concern_id, outcome=ConcernOutcome(outcome), closed_on=on
            )
        ]

    def _open_concern(self, concern_id: UUID, what: str) -> ConcernRecord:
        self._stamp()
        concern = self.concern(concern_id)
        if concern is None:
            raise NotFound(f"the case has no safeguarding concern {concern_id}")
        if not concern.is_open:
            raise ConcernClosed(
                f"the concern was closed on {concern.closed_on} ({concern.outcome.value if concern.outcome else ''}):"
                f" a closed concern cannot be {what}; raise a new concern instead"
            )
        return concern

    def _concern_date(self, field: str, concern: ConcernRecord, on: date, today: date) -> list[ValidationProblem]:
        return self._date_problems(field, on, today, (concern.last_changed_on, "the concern's last change"))
