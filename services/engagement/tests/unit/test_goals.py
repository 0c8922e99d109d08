import uuid
from datetime import date
from itertools import product

import pytest

from contracts.engagement import GoalAgreed, GoalUpdated, StarArea
from contracts.engagement import GoalStatus as G
from engagement.domain import GOAL_TRANSITIONS, InvalidCommand, InvalidTransition, NotFound, ValidationFailed

ON = date(2024, 2, 1)
TODAY = date(2024, 9, 2)
ALLOWED = {
    (G.AGREED, G.IN_PROGRESS),
    (G.AGREED, G.ACHIEVED),
    (G.AGREED, G.REVISED),
    (G.AGREED, G.ABANDONED),
    (G.IN_PROGRESS, G.ACHIEVED),
    (G.IN_PROGRESS, G.REVISED),
    (G.IN_PROGRESS, G.ABANDONED),
}
PATH = {
    G.AGREED: [],
    G.IN_PROGRESS: [G.IN_PROGRESS],
    G.ACHIEVED: [G.ACHIEVED],
    G.REVISED: [G.REVISED],
    G.ABANDONED: [G.ABANDONED],
}


def agree(case, goal_id=None, **overrides):
    fields = dict(
        description="Walk to the shops without stopping",
        star_areas=["lifestyle", "managing_symptoms"],
        on=ON,
        today=TODAY,
        target_date=date(2024, 4, 1),
    )
    return case.agree_goal(goal_id or uuid.uuid4(), **{**fields, **overrides})


def goal_in(status, contacted_case, then):
    case, history = contacted_case()
    events = agree(case)
    goal_id = events[0].goal_id
    case, history = then(case, history, events)
    for to_status in PATH[status]:
        case, history = then(case, history, case.update_goal(goal_id, to_status, on=ON, today=TODAY))
    return case, history, goal_id


def test_agreeing_a_goal_publishes_its_areas_and_dates_but_not_the_patients_words(contacted_case, then):
    case, history = contacted_case()
    [agreed] = agree(case)
    assert isinstance(agreed, GoalAgreed)
    assert agreed.star_areas == (StarArea.LIFESTYLE, StarArea.MANAGING_SYMPTOMS)
    assert "shops" not in agreed.model_dump_json()
    case, _ = then(case, history, [agreed])
    assert case.goal(agreed.goal_id).status is G.AGREED


def test_the_transition_table_is_the_documented_one():
    assert {(a, b) for a, targets in GOAL_TRANSITIONS.items() for b in targets} == ALLOWED


@pytest.mark.parametrize("from_status,to_status", sorted(ALLOWED))
def test_every_allowed_goal_transition_is_recorded_with_from_and_to(from_status, to_status, contacted_case, then):
    case, _, goal_id = goal_in(from_status, contacted_case, then)
    [updated] = case.update_goal(goal_id, to_status.value, on=date(2024, 3, 1), today=TODAY)
    assert isinstance(updated, GoalUpdated) and (updated.from_status, updated.to_status) == (from_status, to_status)


@pytest.mark.parametrize("from_status,to_status", sorted(set(product(G, G)) - ALLOWED))
def test_every_forbidden_goal_transition_is_refused(from_status, to_status, contacted_case, then):
    case, _, goal_id = goal_in(from_status, contacted_case, then)
    with pytest.raises(InvalidTransition):
        case.update_goal(goal_id, to_status, on=date(2024, 3, 1), today=TODAY)


def test_updates_are_kept_as_history(contacted_case, then):
    case, history, goal_id = goal_in(G.IN_PROGRESS, contacted_case, then)
    case, _ = then(case, history, case.update_goal(goal_id, G.ACHIEVED, on=date(2024, 3, 1), today=TODAY))
    assert [(c.from_status, c.to_status) for c in case.goal(goal_id).history] == [
        (G.AGREED, G.IN_PROGRESS),
        (G.IN_PROGRESS, G.ACHIEVED),
    ]


def test_revising_a_goal_closes_it_and_agrees_its_replacement(contacted_case, then):
    case, history, goal_id = goal_in(G.IN_PROGRESS, contacted_case, then)
    new_id = uuid.uuid4()
    events = case.revise_goal(
        goal_id,
        new_goal_id=new_id,
        description="Walk halfway",
        star_areas=["lifestyle"],
        on=date(2024, 3, 1),
        today=TODAY,
    )
    assert [type(e) for e in events] == [GoalUpdated, GoalAgreed]
    assert events[0].to_status is G.REVISED and events[1].supersedes_goal_id == goal_id
    case, _ = then(case, history, events)
    assert case.goal(goal_id).status is G.REVISED and case.goal(new_id).status is G.AGREED


def test_a_goal_can_only_supersede_a_revised_goal_once(contacted_case, then):
    case, history, goal_id = goal_in(G.IN_PROGRESS, contacted_case, then)
    with pytest.raises(InvalidCommand, match="not revised"):
        agree(case, supersedes_goal_id=goal_id)
    case, history = then(
        case,
        history,
        case.revise_goal(
            goal_id, new_goal_id=uuid.uuid4(), description="Smaller", star_areas=["money"], on=ON, today=TODAY
        ),
    )
    with pytest.raises(InvalidCommand, match="already superseded"):
        agree(case, supersedes_goal_id=goal_id)


def test_every_bad_goal_field_is_listed(contacted_case):
    case, _ = contacted_case()
    with pytest.raises(ValidationFailed) as err:
        agree(case, description="  ", star_areas=["lifestyle", "happiness"], target_date=date(2024, 1, 1))
    assert set(err.value.fields) == {"description", "star_areas[1]", "target_date"}


def test_a_goal_needs_at_least_one_star_area(contacted_case):
    case, _ = contacted_case()
    with pytest.raises(ValidationFailed, match="star_areas"):
        agree(case, star_areas=[])


def test_a_goal_needs_a_session_first(open_case):
    case, _ = open_case()
    with pytest.raises(InvalidCommand, match="attended contact"):
        agree(case)


def test_an_update_of_an_unknown_goal_is_not_found_and_a_bad_status_is_invalid(contacted_case, then):
    case, _, goal_id = goal_in(G.AGREED, contacted_case, then)
    with pytest.raises(NotFound):
        case.update_goal(uuid.uuid4(), G.ACHIEVED, on=ON, today=TODAY)
    with pytest.raises(ValidationFailed, match="status"):
        case.update_goal(goal_id, "done", on=ON, today=TODAY)


def test_an_update_dated_before_the_goals_last_change_is_refused(contacted_case, then):
    case, _, goal_id = goal_in(G.AGREED, contacted_case, then)
    with pytest.raises(ValidationFailed, match="last change") as err:
        case.update_goal(goal_id, G.IN_PROGRESS, on=date(2024, 1, 31), today=TODAY)
    assert err.value.fields == ("on",)
