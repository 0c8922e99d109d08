"""Goals, linkages, extensions and Star corrections/voids carry the day they happened (a case can be
entered after the fact): never in the future, never before the case opened or what they change."""

import uuid
from datetime import date

import pytest

from contracts.engagement import CaseDischarged, CaseExtended
from contracts.engagement import GoalStatus as G
from contracts.engagement import LinkageStatus as L
from engagement.domain import ValidationFailed, is_past_limit

TODAY = date(2024, 9, 2)
CONTACTED_ON = date(2024, 1, 10)  # the contacted_case fixture's first attended contact


def agree(case, on, target_date=None, today=TODAY):
    return case.agree_goal(
        uuid.uuid4(),
        description="Join the walking group",
        star_areas=["lifestyle"],
        on=on,
        today=today,
        target_date=target_date,
    )


def link(case, ids, known_services, on):
    return case.make_linkage(
        uuid.uuid4(),
        service_id=ids["service"],
        category="physical_activity",
        known_services=known_services,
        on=on,
        today=TODAY,
    )


def refused_field(command) -> tuple[str, ...]:
    with pytest.raises(ValidationFailed) as err:
        command()
    return err.value.fields


def test_a_goal_agreed_in_the_past_may_have_a_target_date_that_has_passed(contacted_case):
    case, _ = contacted_case()
    [agreed] = agree(case, on=date(2024, 2, 1), target_date=date(2024, 3, 1))
    assert (agreed.agreed_on, agreed.target_date) == (date(2024, 2, 1), date(2024, 3, 1))


def test_a_goals_target_date_is_not_before_the_day_it_was_agreed(contacted_case):
    case, _ = contacted_case()
    assert refused_field(lambda: agree(case, on=date(2024, 2, 1), target_date=date(2024, 1, 31))) == ("target_date",)


@pytest.mark.parametrize("on", [date(2024, 9, 3), date(2024, 1, 9)], ids=["future", "before_first_contact"])
def test_a_goal_agreed_in_the_future_or_before_the_first_session_is_refused(contacted_case, on):
    case, _ = contacted_case()
    assert refused_field(lambda: agree(case, on=on)) == ("agreed_on",)


def test_goal_changes_are_dated_by_the_client_not_in_the_future(contacted_case, then):
    case, history = contacted_case()
    [agreed] = agree(case, on=date(2024, 2, 1))
    case, history = then(case, history, [agreed])
    assert refused_field(lambda: case.update_goal(agreed.goal_id, G.ACHIEVED, on=date(2024, 9, 3), today=TODAY)) == (
        "on",
    )
    [achieved] = case.update_goal(agreed.goal_id, G.ACHIEVED, on=date(2024, 3, 1), today=TODAY)
    assert achieved.on == date(2024, 3, 1)


def test_a_revision_agrees_its_replacement_on_the_same_day_and_names_its_bad_fields(contacted_case, then):
    case, history = contacted_case()
    [agreed] = agree(case, on=date(2024, 2, 1))
    case, history = then(case, history, [agreed])
    revise = dict(
        new_goal_id=uuid.uuid4(),
        description=" ",
        star_areas=["lifestyle"],
        on=date(2024, 3, 1),
        today=TODAY,
        target_date=date(2024, 2, 15),
    )
    assert set(refused_field(lambda: case.revise_goal(agreed.goal_id, **revise))) == {
        "replacement.description",
        "replacement.target_date",
    }
    events = case.revise_goal(agreed.goal_id, **{**revise, "description": "Walk halfway", "target_date": None})
    assert [e.on if hasattr(e, "on") else e.agreed_on for e in events] == [date(2024, 3, 1), date(2024, 3, 1)]


@pytest.mark.parametrize("on", [date(2024, 9, 3), date(2024, 1, 9)], ids=["future", "before_first_contact"])
def test_a_linkage_made_in_the_future_or_before_the_first_session_is_refused(contacted_case, ids, known_services, on):
    case, _ = contacted_case()
    assert refused_field(lambda: link(case, ids, known_services, on)) == ("made_on",)


@pytest.mark.parametrize("on", [date(2024, 9, 3), date(2024, 1, 31)], ids=["future", "before_it_was_made"])
def test_a_linkage_update_in_the_future_or_before_the_linkage_was_made_is_refused(
    contacted_case, then, ids, known_services, on
):
    case, history = contacted_case()
    [made] = link(case, ids, known_services, date(2024, 2, 1))
    case, _ = then(case, history, [made])
    assert refused_field(lambda: case.update_linkage(made.linkage_id, L.REFERRED, on=on, today=TODAY)) == ("on",)


def test_a_case_entered_after_the_fact_can_be_discharged_on_its_historic_date(
    contacted_case, then, ids, known_services
):
    case, history = contacted_case()
    [agreed] = agree(case, on=date(2024, 2, 1), target_date=date(2024, 4, 1))
    case, history = then(case, history, [agreed])
    case, history = then(case, history, case.update_goal(agreed.goal_id, G.ACHIEVED, on=date(2024, 3, 20), today=TODAY))
    [made] = link(case, ids, known_services, date(2024, 2, 1))
    case, history = then(case, history, [made])
    case, history = then(
        case, history, case.update_linkage(made.linkage_id, L.REFERRED, on=date(2024, 2, 8), today=TODAY)
    )
    [discharged] = case.discharge("goals_met", discharged_on=date(2024, 3, 31), today=TODAY)
    assert isinstance(discharged, CaseDischarged) and discharged.discharged_on == date(2024, 3, 31)


def test_an_extension_entered_after_the_fact_may_have_lapsed(engaged_case, then):
    case, history = engaged_case()
    [extended] = case.extend(
        reason="still settling", review_on=date(2026, 7, 1), today=date(2026, 9, 1), on=date(2026, 1, 5)
    )
    assert isinstance(extended, CaseExtended) and extended.extended_on == date(2026, 1, 5)
    case, _ = then(case, history, [extended])
    assert not is_past_limit(case, date(2026, 6, 30)) and is_past_limit(case, date(2026, 9, 1))


@pytest.mark.parametrize(
    "on,review_on,fields",
    [
        (date(2024, 9, 3), date(2025, 1, 1), ("extended_on",)),
        (date(2024, 1, 7), date(2025, 1, 1), ("extended_on",)),
        (date(2024, 5, 1), date(2024, 5, 1), ("review_on",)),
    ],
    ids=["future", "before_opening", "review_not_after_extension"],
)
def test_an_extension_is_dated_between_the_opening_and_today_and_reviewed_after_that(open_case, on, review_on, fields):
    case, _ = open_case()
    assert refused_field(lambda: case.extend(reason="x", review_on=review_on, today=TODAY, on=on)) == fields


def test_corrections_and_voids_carry_their_own_date(engaged_case, then, scores):
    case, history = engaged_case(taken_on=date(2024, 1, 17))
    star_id = case.stars[0].star_id
    [fix] = case.correct_star(star_id, scores={**scores, "money": 9}, reason="typo", today=TODAY, on=date(2024, 2, 1))
    assert fix.corrected_on == date(2024, 2, 1)
    case, history = then(case, history, [fix])
    [void] = case.void_star(star_id, reason="wrong patient", today=TODAY, on=date(2024, 2, 1))
    assert void.voided_on == date(2024, 2, 1)
    assert case.void_star(star_id, reason="x", today=TODAY)[0].voided_on == TODAY


@pytest.mark.parametrize("on", [date(2024, 9, 3), date(2024, 1, 31)], ids=["future", "before_last_correction"])
def test_a_void_in_the_future_or_before_the_stars_last_correction_is_refused(engaged_case, then, scores, on):
    case, history = engaged_case(taken_on=date(2024, 1, 17))
    star_id = case.stars[0].star_id
    case, _ = then(
        case,
        history,
        case.correct_star(star_id, scores={**scores, "money": 9}, reason="typo", today=TODAY, on=date(2024, 2, 1)),
    )
    assert refused_field(lambda: case.void_star(star_id, reason="x", today=TODAY, on=on)) == ("voided_on",)


def test_a_correction_before_the_star_was_taken_is_refused(engaged_case, scores):
    case, _ = engaged_case(taken_on=date(2024, 1, 17))
    assert refused_field(
        lambda: case.correct_star(
            case.stars[0].star_id, scores={**scores, "money": 9}, reason="typo", today=TODAY, on=date(2024, 1, 16)
        )
    ) == ("corrected_on",)


def test_an_extension_review_date_is_at_most_a_year_after_it_is_decided_and_29_february_counts_to_28(engaged_case):
    case, _ = engaged_case()
    assert case.extend(reason="r", review_on=date(2025, 2, 28), today=date(2024, 9, 2), on=date(2024, 2, 29))
    assert refused_field(
        lambda: case.extend(reason="r", review_on=date(2025, 3, 1), today=date(2024, 9, 2), on=date(2024, 2, 29))
    ) == ("review_on",)
