from datetime import UTC, date, datetime, timedelta

from reporting_builders import CaseFacts

from reporting.domain import payable

BASELINE_ON = date(2019, 1, 7)
REVIEW_ON = BASELINE_ON + timedelta(days=150)
AS_OF = date(2020, 1, 1)
CORRECTED_AT = datetime(2019, 8, 1, 9, 30, tzinfo=UTC)


def case_with_review(review_total: int) -> tuple[CaseFacts, object, object]:
    case = CaseFacts()
    case.opened(BASELINE_ON)
    baseline = case.star(BASELINE_ON, 30)
    return case, baseline, case.star(REVIEW_ON, review_total)


def amounts(case: CaseFacts, rulebooks, known_at: datetime) -> int:
    return payable(case.facts, [], [], rulebooks, as_of=AS_OF, known_at=known_at).total


def test_a_correction_recorded_after_t_does_not_change_the_answer_for_t(rulebooks):
    case, _, review = case_with_review(40)
    case.corrected(review, 31, recorded_at=CORRECTED_AT)
    assert amounts(case, rulebooks, CORRECTED_AT - timedelta(microseconds=1)) == 20000
    assert amounts(case, rulebooks, CORRECTED_AT) == 0


def test_a_correction_can_make_a_review_qualify_from_when_it_is_recorded(rulebooks):
    case, _, review = case_with_review(31)
    case.corrected(review, 33, recorded_at=CORRECTED_AT)
    assert amounts(case, rulebooks, CORRECTED_AT - timedelta(seconds=1)) == 0
    assert amounts(case, rulebooks, CORRECTED_AT) == 20000


def test_the_correction_event_is_evidence_of_the_outcome(rulebooks):
    case, _, review = case_with_review(31)
    correction = case.corrected(review, 33, recorded_at=CORRECTED_AT)
    [line] = payable(case.facts, [], [], rulebooks, as_of=AS_OF, known_at=CORRECTED_AT).lines
    assert str(correction.event_id) in line.evidence


def test_a_correction_of_the_baseline_changes_the_required_gain(rulebooks):
    case, baseline, _ = case_with_review(32)
    case.corrected(baseline, 31, recorded_at=CORRECTED_AT)
    assert amounts(case, rulebooks, CORRECTED_AT - timedelta(seconds=1)) == 20000
    assert amounts(case, rulebooks, CORRECTED_AT) == 0


def test_a_void_recorded_after_t_does_not_change_the_answer_for_t(rulebooks):
    case, _, review = case_with_review(40)
    case.voided(review, recorded_at=CORRECTED_AT)
    assert amounts(case, rulebooks, CORRECTED_AT - timedelta(seconds=1)) == 20000
    assert amounts(case, rulebooks, CORRECTED_AT) == 0


def test_a_star_entered_late_counts_only_once_recorded(rulebooks):
    case = CaseFacts()
    case.opened(BASELINE_ON)
    case.star(BASELINE_ON, 30)
    case.star(REVIEW_ON, 40, recorded_at=datetime(2019, 12, 20, tzinfo=UTC))
    assert amounts(case, rulebooks, datetime(2019, 12, 19, tzinfo=UTC)) == 0
    assert amounts(case, rulebooks, datetime(2019, 12, 20, tzinfo=UTC)) == 20000
