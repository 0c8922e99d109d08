import uuid
from datetime import date

import pytest

from contracts.engagement import (
    CaseEngaged,
    StarKind,
    StarScores,
    WellbeingStarCorrected,
    WellbeingStarRecorded,
    WellbeingStarVoided,
)
from engagement.domain import (
    Case,
    CaseStatus,
    InvalidCommand,
    NotFound,
    ValidationFailed,
    baseline,
    is_review_overdue,
    review_due_on,
    star_history,
)

TODAY = date(2024, 9, 2)
BASELINE_ON = date(2024, 1, 17)


def record(case, taken_on, scores, star_id=None):
    return case.record_star(star_id or uuid.uuid4(), taken_on=taken_on, scores=scores, today=TODAY)


def with_stars(engaged_case, then, scores, *dates):
    """An engaged case (baseline on BASELINE_ON) with reviews on each date; and the star ids."""
    case, history = engaged_case()
    ids = [case.stars[0].star_id]
    for taken_on in dates:
        events = record(case, taken_on, scores)
        ids.append(events[0].star_id)
        case, history = then(case, history, events)
    return case, history, ids


def test_the_first_star_is_the_baseline_and_makes_the_case_engaged(contacted_case, scores, then):
    case, history = contacted_case()
    events = record(case, BASELINE_ON, scores)
    assert [type(e) for e in events] == [WellbeingStarRecorded, CaseEngaged]
    assert (events[0].kind, events[0].total) == (StarKind.BASELINE, 36)
    assert (events[1].baseline_star_id, events[1].engaged_on) == (events[0].star_id, BASELINE_ON)
    case, _ = then(case, history, events)
    assert case.status is CaseStatus.ENGAGED


def test_later_stars_are_reviews_and_do_not_engage_the_case_again(engaged_case, scores):
    case, _ = engaged_case()
    events = record(case, date(2024, 7, 17), scores)
    assert [type(e) for e in events] == [WellbeingStarRecorded] and events[0].kind is StarKind.REVIEW


def test_a_star_needs_an_attended_contact_first(open_case, scores):
    case, _ = open_case()
    with pytest.raises(InvalidCommand, match="attended contact"):
        record(case, BASELINE_ON, scores)


def test_a_star_dated_before_the_first_attended_contact_is_refused(contacted_case, scores):
    case, _ = contacted_case(on=date(2024, 1, 15))
    with pytest.raises(InvalidCommand, match="before the first attended contact"):
        record(case, date(2024, 1, 14), scores)


def test_a_star_dated_in_the_future_is_refused(contacted_case, scores):
    case, _ = contacted_case()
    with pytest.raises(ValidationFailed, match="taken_on"):
        record(case, date(2024, 9, 3), scores)


def test_a_second_star_on_the_same_date_is_refused(engaged_case, scores):
    case, _ = engaged_case(taken_on=BASELINE_ON)
    with pytest.raises(InvalidCommand, match="correct it instead"):
        record(case, BASELINE_ON, scores)


def test_every_bad_score_is_listed_not_just_the_first(contacted_case, scores):
    case, _ = contacted_case()
    bad = {
        **scores,
        "lifestyle": 0,
        "money": 11,
        "where_you_live": "7",
        "feeling_positive": True,
        "family_and_friends": 5.0,
        "happiness": 5,
    }
    del bad["managing_symptoms"]
    with pytest.raises(ValidationFailed) as err:
        record(case, date(2024, 9, 3), bad)
    assert set(err.value.fields) == {
        "scores.lifestyle",
        "scores.money",
        "scores.where_you_live",
        "scores.feeling_positive",
        "scores.family_and_friends",
        "scores.happiness",
        "scores.managing_symptoms",
        "taken_on",
    }


@pytest.mark.parametrize("score", [1, 10])
def test_scores_of_one_and_ten_are_accepted(contacted_case, scores, score):
    case, _ = contacted_case()
    events = record(case, BASELINE_ON, {**scores, "money": score})
    assert events[0].scores.money == score


def test_a_correction_replaces_the_scores_and_keeps_the_original(engaged_case, scores, then):
    case, history = engaged_case(taken_on=BASELINE_ON)
    star_id = case.stars[0].star_id
    [fix] = case.correct_star(star_id, scores={**scores, "money": 9}, reason="typed 6 for 9", today=TODAY)
    assert isinstance(fix, WellbeingStarCorrected) and fix.total == 39 and fix.corrected_on == TODAY
    assert "typed" not in fix.model_dump_json()
    case, history = then(case, history, [fix])
    [effective] = star_history(case)
    assert effective.total == 39 and effective.corrected and effective.kind is StarKind.BASELINE
    assert case.stars[0].scores == StarScores(**scores)  # the original is kept


def test_a_correction_needs_a_reason_and_valid_scores_and_lists_both(engaged_case, scores):
    case, _ = engaged_case()
    with pytest.raises(ValidationFailed) as err:
        case.correct_star(case.stars[0].star_id, scores={**scores, "money": 0}, reason=" ", today=TODAY)
    assert set(err.value.fields) == {"scores.money", "reason"}


def test_a_correction_that_changes_nothing_is_refused(engaged_case, scores):
    case, _ = engaged_case()
    with pytest.raises(InvalidCommand, match="nothing to correct"):
        case.correct_star(case.stars[0].star_id, scores=scores, reason="check", today=TODAY)


def test_correcting_or_voiding_an_unknown_star_is_not_found(engaged_case, scores):
    case, _ = engaged_case()
    with pytest.raises(NotFound):
        case.correct_star(uuid.uuid4(), scores=scores, reason="x", today=TODAY)
    with pytest.raises(NotFound):
        case.void_star(uuid.uuid4(), reason="x", today=TODAY)


def test_a_voided_star_cannot_be_corrected_or_voided_again(engaged_case, scores, then):
    case, history = engaged_case()
    star_id = case.stars[0].star_id
    case, _ = then(case, history, case.void_star(star_id, reason="wrong patient", today=TODAY))
    with pytest.raises(InvalidCommand, match="voided"):
        case.correct_star(star_id, scores={**scores, "money": 1}, reason="x", today=TODAY)
    with pytest.raises(InvalidCommand, match="voided"):
        case.void_star(star_id, reason="again", today=TODAY)


def test_voiding_the_baseline_promotes_the_next_earliest_star(engaged_case, scores, then):
    case, history, ids = with_stars(engaged_case, then, scores, date(2024, 7, 17), date(2024, 3, 1))
    [void] = case.void_star(ids[0], reason="entered twice", today=TODAY)
    assert isinstance(void, WellbeingStarVoided)
    case, history = then(case, history, [void])
    assert [(s.star_id, s.kind) for s in star_history(case)] == [(ids[2], StarKind.BASELINE), (ids[1], StarKind.REVIEW)]
    assert baseline(case).recorded_kind is StarKind.REVIEW  # the event said review; now it is the baseline
    assert case.status is CaseStatus.ENGAGED and case.stars[0].is_voided  # still engaged, original kept


def test_star_history_answers_at_any_point_in_the_case_history(engaged_case, scores, then):
    case, history, ids = with_stars(engaged_case, then, scores, date(2024, 7, 17))
    case, history = then(case, history, case.void_star(ids[0], reason="x", today=TODAY))
    before_void = Case.from_events(history[:-1])
    assert baseline(before_void).star_id == ids[0] and baseline(case).star_id == ids[1]


def test_a_star_recorded_after_the_baseline_was_voided_is_a_baseline_when_earliest(engaged_case, scores, then):
    case, history, ids = with_stars(engaged_case, then, scores, date(2024, 7, 17))
    case, history = then(case, history, case.void_star(ids[0], reason="x", today=TODAY))
    events = record(case, BASELINE_ON, scores)  # the same date as the voided one is free again
    assert [type(e) for e in events] == [WellbeingStarRecorded] and events[0].kind is StarKind.BASELINE


def test_a_star_dated_before_the_baseline_becomes_the_baseline(engaged_case, scores, then):
    case, history = engaged_case(taken_on=date(2024, 2, 1))
    old_baseline = case.stars[0].star_id
    events = record(case, date(2024, 1, 20), scores)
    assert events[0].kind is StarKind.BASELINE and len(events) == 1  # engaged already: no second CaseEngaged
    case, _ = then(case, history, events)
    assert [s.star_id for s in star_history(case)] == [events[0].star_id, old_baseline]
    assert star_history(case)[1].kind is StarKind.REVIEW


def test_a_review_is_due_six_months_after_the_latest_star(engaged_case, scores, then):
    case, _, _ = with_stars(engaged_case, then, scores, date(2024, 8, 31))
    assert review_due_on(case) == date(2025, 2, 28)


def test_voiding_the_latest_star_moves_the_review_date_back(engaged_case, scores, then):
    case, history, ids = with_stars(engaged_case, then, scores, date(2024, 7, 17))
    case, _ = then(case, history, case.void_star(ids[1], reason="x", today=TODAY))
    assert review_due_on(case) == date(2024, 7, 17)


def test_a_review_is_overdue_only_after_the_day_it_falls_due(engaged_case):
    case, _ = engaged_case(taken_on=BASELINE_ON)
    assert not is_review_overdue(case, date(2024, 7, 17))
    assert is_review_overdue(case, date(2024, 7, 18))


def test_no_review_is_due_without_a_star_or_once_the_case_is_closed(contacted_case, engaged_case, then):
    case, _ = contacted_case()
    assert review_due_on(case) is None and not is_review_overdue(case, date(2030, 1, 1))
    case, history = engaged_case()
    case, _ = then(case, history, case.discharge("goals_met", discharged_on=TODAY, today=TODAY))
    assert review_due_on(case) is None and not is_review_overdue(case, date(2030, 1, 1))


def test_stars_can_be_corrected_and_voided_after_discharge(engaged_case, scores, then):
    case, history = engaged_case()
    case, history = then(case, history, case.discharge("goals_met", discharged_on=TODAY, today=TODAY))
    star_id = case.stars[0].star_id
    assert case.correct_star(star_id, scores={**scores, "money": 1}, reason="typo", today=TODAY)
    assert case.void_star(star_id, reason="wrong patient", today=TODAY)
