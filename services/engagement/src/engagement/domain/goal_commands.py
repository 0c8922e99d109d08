"""Goals and action plans. The goal in the patient's words is checked here but not published:
the service keeps it in its own database, keyed by goal id (see README)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from uuid import UUID

from contracts.engagement import GoalAgreed, GoalStatus, GoalUpdated, StarArea
from contracts.events import EventPayload
from engagement.domain.case_base import CaseBase
from engagement.domain.errors import InvalidCommand, NotFound, ValidationFailed, ValidationProblem, fail_if
from engagement.domain.goals import GoalRecord, ensure_goal_transition
from engagement.domain.inputs import member_problem, members, not_before_programme, text_problems, within_years

MAX_TARGET_YEARS = 2  # goals are realistic and incremental (docs/domain.md §4); the case itself lasts two years


class GoalCommands(CaseBase):
    def agree_goal(
        self,
        goal_id: UUID,
        *,
        description: str,
        star_areas: Iterable[StarArea | str],
        on: date,
        today: date,
        target_date: date | None = None,
        supersedes_goal_id: UUID | None = None,
    ) -> list[EventPayload]:
        """A goal agreed `on` a day (not in the future, not before the first attended contact); its
        target date, if any, is not before the day it was agreed nor more than two years after it."""
        self._ensure_contacted("agreeing a goal")
        areas, problems = members("star_areas", StarArea, star_areas)
        if not areas and not problems:
            problems.append(ValidationProblem("star_areas", "name at least one Star area"))
        if target_date is not None:
            problems += not_before_programme("target_date", target_date) or (
                [ValidationProblem("target_date", "is before the day the goal is agreed")]
                if target_date < on
                else within_years("target_date", target_date, on, MAX_TARGET_YEARS, "the day it is agreed")
            )
        fail_if(
            text_problems("description", description, required=True)
            + problems
            + self._date_problems("agreed_on", on, today, (self.contacted_on, "the first attended contact"))
        )
        if self.goal(goal_id) is not None:
            raise InvalidCommand("the goal is already recorded")
        self._ensure_consented(on, "a goal")
        if supersedes_goal_id is not None:
            self._check_supersedable(supersedes_goal_id)
        return [
            GoalAgreed(
                **self._stamp(),
                goal_id=goal_id,
                star_areas=areas,
                target_date=target_date,
                agreed_on=on,
                supersedes_goal_id=supersedes_goal_id,
            )
        ]

    def update_goal(self, goal_id: UUID, to_status: GoalStatus | str, *, on: date, today: date) -> list[EventPayload]:
        """A status change `on` a day: not in the future, not before the goal's last change."""
        self._ensure_open()
        fail_if(member_problem("status", GoalStatus, to_status) + self._date_problems("on", on, today))
        goal = self._goal(goal_id)
        ensure_goal_transition(goal.status, GoalStatus(to_status))
        fail_if(self._date_problems("on", on, today, (goal.last_changed_on, "the goal's last change")))
        return [
            GoalUpdated(
                **self._stamp(),
                goal_id=goal_id,
                from_status=goal.status,
                to_status=GoalStatus(to_status),
                on=on,
            )
        ]

    def revise_goal(
        self,
        goal_id: UUID,
        *,
        new_goal_id: UUID,
        description: str,
        star_areas: Iterable[StarArea | str],
        on: date,
        today: date,
        target_date: date | None = None,
    ) -> list[EventPayload]:
        """Close a goal as revised and agree the goal that replaces it, in one step, both `on` that day.
        Problems with the replacement are named `replacement.<field>`."""
        revised = self.update_goal(goal_id, GoalStatus.REVISED, on=on, today=today)
        try:
            replacement = self.apply_all(revised).agree_goal(
                new_goal_id,
                description=description,
                star_areas=star_areas,
                on=on,
                today=today,
                target_date=target_date,
                supersedes_goal_id=goal_id,
            )
        except ValidationFailed as failed:
            raise ValidationFailed(
                [ValidationProblem(f"replacement.{p.field}", p.message) for p in failed.problems]
            ) from None
        return [*revised, *replacement]

    def _goal(self, goal_id: UUID) -> GoalRecord:
        goal = self.goal(goal_id)
        if goal is None:
            raise NotFound("the case has no such goal")
        return goal

    def _check_supersedable(self, goal_id: UUID) -> None:
        if self._goal(goal_id).status is not GoalStatus.REVISED:
            raise InvalidCommand("the goal is not revised, so nothing can supersede it")
        if any(g.supersedes_goal_id == goal_id for g in self.goals):
            raise InvalidCommand("the goal is already superseded")
