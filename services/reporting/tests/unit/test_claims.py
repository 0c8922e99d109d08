import json
from datetime import UTC, date, datetime, timedelta

import pytest
from reporting_builders import WORKER_2, CaseFacts

from reporting.domain import (
    ClaimAlreadyClosed,
    ClaimOutOfOrder,
    InvalidPeriod,
    PeriodNotEnded,
    claim_document,
    claim_window,
    close_claim,
    payable,
)

BASELINE_ON = date(2019, 1, 7)
MAY_REVIEW = date(2019, 6, 10)  # 154 days after the baseline
MAY_CLOSE = datetime(2019, 7, 3, 9, tzinfo=UTC)  # closes June
JULY_CLOSE = datetime(2019, 8, 2, 9, tzinfo=UTC)  # closes July


def case_with_review(review_on=MAY_REVIEW, total=40, recorded_at=None):
    case = CaseFacts()
    case.opened(BASELINE_ON)
    case.star(BASELINE_ON, 30)
    return case, case.star(review_on, total, recorded_at=recorded_at)


def close(period, closed_at, previous, facts, rulebooks):
    as_of, known_at = claim_window(period, closed_at)
    return close_claim(period, closed_at, previous, payable(facts, [], [], rulebooks, as_of=as_of, known_at=known_at))


def test_a_claim_lists_the_outcomes_achieved_in_its_month(rulebooks):
    case, _ = case_with_review()
    june = close("2019-06", MAY_CLOSE, [], case.facts, rulebooks)
    assert [(line.kind, line.amount) for line in june.lines] == [("outcome", 20000)]
    assert june.totals_by_payer == {"cbo": 4000, "ccg": 14000, "sof": 2000}


def test_a_month_cannot_be_claimed_twice_out_of_order_or_before_it_ends(rulebooks):
    case, _ = case_with_review()
    june = close("2019-06", MAY_CLOSE, [], case.facts, rulebooks)
    with pytest.raises(ClaimAlreadyClosed):
        close("2019-06", JULY_CLOSE, [june], case.facts, rulebooks)
    with pytest.raises(ClaimOutOfOrder):
        close("2019-05", JULY_CLOSE, [june], case.facts, rulebooks)
    with pytest.raises(PeriodNotEnded):
        close("2019-07", datetime(2019, 7, 31, 22, 59, tzinfo=UTC), [june], case.facts, rulebooks)
    with pytest.raises(InvalidPeriod):
        close("2019-13", JULY_CLOSE, [june], case.facts, rulebooks)


def test_a_void_learnt_after_a_claim_becomes_a_clawback_on_the_next(rulebooks):
    case, review = case_with_review()
    june = close("2019-06", MAY_CLOSE, [], case.facts, rulebooks)
    case.voided(review, recorded_at=datetime(2019, 7, 20, tzinfo=UTC))
    july = close("2019-07", JULY_CLOSE, [june], case.facts, rulebooks)
    [clawback] = july.adjustments
    assert (clawback.kind, clawback.amount, dict(clawback.payer_shares)) == (
        "clawback",
        -20000,
        {"ccg": -14000, "cbo": -4000, "sof": -2000},
    )
    assert july.outcomes == () and july.total == -20000
    august = close("2019-08", datetime(2019, 9, 2, tzinfo=UTC), [june, july], case.facts, rulebooks)
    assert august.lines == ()  # nothing claimed twice


def test_a_star_entered_after_the_claim_appears_as_a_late_outcome(rulebooks):
    case, _ = case_with_review(recorded_at=datetime(2019, 7, 10, tzinfo=UTC))
    june = close("2019-06", MAY_CLOSE, [], case.facts, rulebooks)
    assert june.lines == ()
    july = close("2019-07", JULY_CLOSE, [june], case.facts, rulebooks)
    assert [(line.kind, line.amount, line.outcome.achieved_on) for line in july.lines] == [
        ("late_outcome", 20000, MAY_REVIEW)
    ]


def test_an_outcome_clawed_back_and_then_restored_is_claimed_again_as_late(rulebooks):
    case, review = case_with_review(total=40)
    june = close("2019-06", MAY_CLOSE, [], case.facts, rulebooks)
    case.corrected(review, 31, recorded_at=datetime(2019, 7, 10, tzinfo=UTC))
    july = close("2019-07", JULY_CLOSE, [june], case.facts, rulebooks)
    case.corrected(review, 35, recorded_at=datetime(2019, 8, 10, tzinfo=UTC))
    august = close("2019-08", datetime(2019, 9, 2, tzinfo=UTC), [june, july], case.facts, rulebooks)
    assert [line.kind for line in july.lines] == ["clawback"]
    assert [(line.kind, line.amount) for line in august.lines] == [("late_outcome", 20000)]


def test_a_late_reassignment_reattributes_a_claimed_outcome(rulebooks):
    case, _ = case_with_review()
    june = close("2019-06", MAY_CLOSE, [], case.facts, rulebooks)
    case.reassigned(MAY_REVIEW - timedelta(days=1), WORKER_2)
    case.facts[-1] = type(case.facts[-1])(
        **{**case.facts[-1].__dict__, "recorded_at": datetime(2019, 7, 5, tzinfo=UTC)}
    )
    july = close("2019-07", JULY_CLOSE, [june], case.facts, rulebooks)
    assert [(line.kind, line.amount, line.outcome.link_worker_id) for line in july.lines] == [
        ("clawback", -20000, june.lines[0].outcome.link_worker_id),
        ("reattributed", 20000, WORKER_2),
    ]


def test_the_claim_document_is_the_same_bytes_whenever_it_is_rebuilt(rulebooks):
    case, review = case_with_review()
    june = close("2019-06", MAY_CLOSE, [], case.facts, rulebooks)
    stored = claim_document(june)
    case.voided(review, recorded_at=datetime(2019, 7, 20, tzinfo=UTC))  # learnt later: june is unchanged
    assert claim_document(close("2019-06", MAY_CLOSE, [], case.facts, rulebooks)) == stored
    body = json.loads(stored)
    assert body["totals"] == {
        "amount": 20000,
        "by_payer": {"cbo": 4000, "ccg": 14000, "sof": 2000},
        "by_provider": {str(case.provider_id): 20000},
    }
    assert body["lines"][0]["evidence"] and body["adjustments"] == []


@pytest.mark.parametrize("period", ["0000-01", "0001-01", "9999-12"])
def test_a_claim_period_outside_the_programmes_centuries_is_invalid(period):
    from reporting.domain.calendar import parse_period

    with pytest.raises(InvalidPeriod):
        parse_period(period)
