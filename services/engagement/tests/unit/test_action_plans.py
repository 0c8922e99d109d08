"""Action plans: steps under a goal with a due date and a status, their history, and overdue steps
(docs/domain.md §4.4)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from contracts.casework import ActionStepAdded, ActionStepUpdated, StepStatus
from engagement.domain import (
    CaseClosed,
    InvalidCommand,
    InvalidTransition,
    NotFound,
    ValidationFailed,
    is_step_overdue,
    next_step_due_on,
    overdue_steps,
)

TODAY = date(2024, 9, 2)
AGREED_ON = date(2024, 2, 1)
DUE_ON = date(2024, 3, 1)


def with_goal(contacted_case, then):
    case, history = contacted_case()
    goal_id = uuid.uuid4()
    case, history = then(
        case,
        history,
        case.agree_goal(goal_id, description="Walk more", star_areas=["lifestyle"], on=AGREED_ON, today=TODAY),
    )
    return case, history, goal_id


def with_step(contacted_case, then):
    case, history, goal_id = with_goal(contacted_case, then)
    step_id = uuid.uuid4()
    case, history = then(
        case,
        history,
        case.add_step(goal_id, step_id, description="Find the walking group", due_on=DUE_ON, on=AGREED_ON, today=TODAY),
    )
    return case, history, goal_id, step_id


def test_a_step_is_added_under_its_goal_planned_and_its_words_stay_out_of_the_event(contacted_case, then):
    case, _, goal_id = with_goal(contacted_case, then)
    [event] = case.add_step(goal_id, uuid.uuid4(), description="Ring Ann", due_on=DUE_ON, on=AGREED_ON, today=TODAY)
    assert isinstance(event, ActionStepAdded)
    assert (event.goal_id, event.due_on, event.added_on) == (goal_id, DUE_ON, AGREED_ON)
    assert "Ring Ann" not in event.model_dump_json()
    [step] = case.apply_all([event]).steps
    assert step.status is StepStatus.PLANNED


def test_every_change_is_kept_in_the_steps_history(contacted_case, then):
    case, history, _, step_id = with_step(contacted_case, then)
    case, history = then(
        case, history, case.update_step(step_id, status="in_progress", due_on=None, on=date(2024, 2, 5), today=TODAY)
    )
    case, history = then(
        case,
        history,
        case.update_step(step_id, status=None, due_on=date(2024, 4, 1), on=date(2024, 2, 20), today=TODAY),
    )
    [event] = case.update_step(step_id, status="done", due_on=None, on=date(2024, 3, 30), today=TODAY)
    assert isinstance(event, ActionStepUpdated) and event.due_on == date(2024, 4, 1)
    case, _ = then(case, history, [event])
    step = case.step(step_id)
    assert step.status is StepStatus.DONE
    assert [(h.from_status.value, h.to_status.value, h.due_on, h.on) for h in step.history] == [
        ("planned", "in_progress", DUE_ON, date(2024, 2, 5)),
        ("in_progress", "in_progress", date(2024, 4, 1), date(2024, 2, 20)),
        ("in_progress", "done", date(2024, 4, 1), date(2024, 3, 30)),
    ]


def test_a_step_is_overdue_from_the_day_after_its_due_date_while_it_and_its_goal_are_open(contacted_case, then):
    case, history, goal_id, step_id = with_step(contacted_case, then)
    step = case.step(step_id)
    assert not is_step_overdue(case, step, DUE_ON)
    assert is_step_overdue(case, step, date(2024, 3, 2))
    assert next_step_due_on(case) == DUE_ON
    closed_goal, _ = then(case, history, case.update_goal(goal_id, "abandoned", on=date(2024, 2, 2), today=TODAY))
    assert overdue_steps(closed_goal, TODAY) == [] and next_step_due_on(closed_goal) is None
    done, _ = then(
        case, history, case.update_step(step_id, status="dropped", due_on=None, on=date(2024, 2, 2), today=TODAY)
    )
    assert overdue_steps(done, TODAY) == []


@pytest.mark.parametrize(
    ("first", "then_to"), [("done", "in_progress"), ("dropped", "done"), ("in_progress", "planned")]
)
def test_done_and_dropped_are_final_and_steps_never_go_back(contacted_case, then, first, then_to):
    case, history, _, step_id = with_step(contacted_case, then)
    case, _ = then(case, history, case.update_step(step_id, status=first, due_on=None, on=AGREED_ON, today=TODAY))
    with pytest.raises(InvalidTransition):
        case.update_step(step_id, status=then_to, due_on=None, on=AGREED_ON, today=TODAY)


def test_a_change_that_changes_nothing_or_reschedules_a_finished_step_is_refused(contacted_case, then):
    case, history, _, step_id = with_step(contacted_case, then)
    with pytest.raises(InvalidCommand, match="nothing changes"):
        case.update_step(step_id, status="planned", due_on=DUE_ON, on=AGREED_ON, today=TODAY)
    case, _ = then(case, history, case.update_step(step_id, status="done", due_on=None, on=AGREED_ON, today=TODAY))
    with pytest.raises(InvalidCommand, match="new due date"):
        case.update_step(step_id, status=None, due_on=date(2024, 5, 1), on=AGREED_ON, today=TODAY)


def test_steps_need_a_known_open_goal_and_an_open_case(contacted_case, then):
    case, history, goal_id = with_goal(contacted_case, then)
    with pytest.raises(NotFound):
        case.add_step(uuid.uuid4(), uuid.uuid4(), description="x", due_on=DUE_ON, on=AGREED_ON, today=TODAY)
    with pytest.raises(NotFound):
        case.update_step(uuid.uuid4(), status="done", due_on=None, on=AGREED_ON, today=TODAY)
    achieved, _ = then(case, history, case.update_goal(goal_id, "achieved", on=AGREED_ON, today=TODAY))
    with pytest.raises(InvalidCommand, match="achieved"):
        achieved.add_step(goal_id, uuid.uuid4(), description="x", due_on=DUE_ON, on=AGREED_ON, today=TODAY)
    closed, _ = then(case, history, case.discharge("goals_met", discharged_on=TODAY, today=TODAY))
    with pytest.raises(CaseClosed):
        closed.add_step(goal_id, uuid.uuid4(), description="x", due_on=DUE_ON, on=AGREED_ON, today=TODAY)


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"description": ""}, ("description",)),
        ({"on": date(2024, 1, 31)}, ("added_on",)),  # before the goal was agreed
        ({"on": date(2024, 9, 3), "due_on": date(2024, 9, 30)}, ("added_on",)),
        ({"due_on": date(2024, 1, 31)}, ("due_on",)),  # before it is added
        ({"due_on": date(2026, 2, 2)}, ("due_on",)),  # more than two years after
    ],
)
def test_bad_steps_are_refused_naming_each_field(contacted_case, then, overrides, fields):
    case, _, goal_id = with_goal(contacted_case, then)
    args = dict(description="Find the group", due_on=DUE_ON, on=AGREED_ON, today=TODAY) | overrides
    with pytest.raises(ValidationFailed) as failed:
        case.add_step(goal_id, uuid.uuid4(), **args)
    assert failed.value.fields == fields
