"""Adding and moving on the steps of a goal's action plan (docs/domain.md §4.4). The step's wording
is checked here and kept by the service, never published."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from contracts.casework import ActionStepAdded, ActionStepUpdated, StepStatus
from contracts.events import EventPayload
from engagement.domain.action_plans import ensure_step_transition
from engagement.domain.case_base import CaseBase
from engagement.domain.casework_records import StepRecord
from engagement.domain.errors import InvalidCommand, NotFound, ValidationProblem, fail_if
from engagement.domain.inputs import member_problem, not_before_programme, text_problems, within_years

MAX_STEP_YEARS = 2  # like a goal's target: the case itself lasts two years


class ActionPlanCommands(CaseBase):
    def add_step(
        self, goal_id: UUID, step_id: UUID, *, description: str, due_on: date, on: date, today: date
    ) -> list[EventPayload]:
        """A step of an open goal, added `on` a day (not in the future, not before the goal was
        agreed), due by `due_on` (not before it was added, at most two years after)."""
        self._ensure_open()
        goal = self.goal(goal_id)
        if goal is None:
            raise NotFound("the case has no such goal")
        fail_if(
            text_problems("description", description, required=True)
            + self._date_problems("added_on", on, today, (goal.agreed_on, "the goal was agreed"))
            + _due_problems(due_on, on)
        )
        if not goal.is_open:
            raise InvalidCommand(f"the goal is {goal.status.value}: its action plan takes no new steps")
        if self.step(step_id) is not None:
            raise InvalidCommand("the step is already recorded")
        self._ensure_consented(on, "an action step")
        return [ActionStepAdded(**self._stamp(), goal_id=goal_id, step_id=step_id, due_on=due_on, added_on=on)]

    def update_step(
        self,
        step_id: UUID,
        *,
        status: StepStatus | str | None,
        due_on: date | None,
        on: date,
        today: date,
    ) -> list[EventPayload]:
        """A new status and/or a new due date `on` a day (not before the step's last change); a done or
        dropped step is final, and a change that changes nothing is refused."""
        self._ensure_open()
        step = self._step(step_id)
        problems = [] if status is None else member_problem("status", StepStatus, status)
        if due_on is not None:
            problems += _due_problems(due_on, step.added_on, "the step was added")
        fail_if(problems + self._date_problems("on", on, today, (step.last_changed_on, "the step's last change")))
        to = step.status if status is None else StepStatus(status)
        new_due = step.due_on if due_on is None else due_on
        if to is step.status and new_due == step.due_on:
            raise InvalidCommand("the step already has that status and due date: nothing changes")
        if to is not step.status:
            ensure_step_transition(step.status, to)
        elif not step.is_open:
            raise InvalidCommand(f"step {step_id} is {step.status.value}: it cannot be given a new due date")
        return [
            ActionStepUpdated(
                **self._stamp(),
                goal_id=step.goal_id,
                step_id=step_id,
                from_status=step.status,
                to_status=to,
                due_on=new_due,
                on=on,
            )
        ]

    def _step(self, step_id: UUID) -> StepRecord:
        step = self.step(step_id)
        if step is None:
            raise NotFound("the case has no such action step")
        return step


def _due_problems(due_on: date, start: date, what: str = "the day it is added") -> list[ValidationProblem]:
    if not_before_programme("due_on", due_on):
        return not_before_programme("due_on", due_on)
    if due_on < start:
        return [ValidationProblem("due_on", f"is before {what} ({start})")]
    return within_years("due_on", due_on, start, MAX_STEP_YEARS, what)
