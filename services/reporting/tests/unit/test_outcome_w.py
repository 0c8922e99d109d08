from datetime import UTC, date, datetime, timedelta

from reporting_builders import PROVIDER_A, WORKER_1, WORKER_2, CaseFacts

from reporting.domain import episode_view, payable, w_outcomes

BASELINE_ON = date(2019, 1, 7)
LATER = datetime(2030, 1, 1, tzinfo=UTC)
FAR = date(2030, 1, 1)


def engaged_case(baseline_total: int = 30) -> tuple[CaseFacts, object]:
    case = CaseFacts()
    case.opened(BASELINE_ON - timedelta(days=10))
    return case, case.star(BASELINE_ON, baseline_total)


def outcomes(case: CaseFacts, rulebooks, as_of: date = FAR, known_at: datetime = LATER):
    return w_outcomes(episode_view(case.facts, known_at), rulebooks, as_of)


def test_review_on_day_139_does_not_qualify_and_day_140_does(rulebooks):
    early, on_time = engaged_case(), engaged_case()
    early[0].star(BASELINE_ON + timedelta(days=139), 40)
    on_time[0].star(BASELINE_ON + timedelta(days=140), 40)
    assert outcomes(early[0], rulebooks) == []
    [outcome] = outcomes(on_time[0], rulebooks)
    assert outcome.achieved_on == BASELINE_ON + timedelta(days=140)
    assert outcome.amount == 20000


def test_gain_of_one_point_does_not_qualify_and_two_points_does(rulebooks):
    one, two = engaged_case(30), engaged_case(30)
    one[0].star(BASELINE_ON + timedelta(days=180), 31)
    two[0].star(BASELINE_ON + timedelta(days=180), 32)
    assert outcomes(one[0], rulebooks) == []
    assert len(outcomes(two[0], rulebooks)) == 1


def test_a_non_qualifying_review_does_not_move_the_anchor(rulebooks):
    case, _ = engaged_case(30)
    case.star(BASELINE_ON + timedelta(days=150), 30)  # too little gain
    case.star(BASELINE_ON + timedelta(days=200), 35)  # 200 days after the baseline: qualifies
    assert [o.achieved_on for o in outcomes(case, rulebooks)] == [BASELINE_ON + timedelta(days=200)]


def test_the_anchor_moves_to_the_previous_qualifying_review(rulebooks):
    case, _ = engaged_case(30)
    first = BASELINE_ON + timedelta(days=140)
    case.star(first, 35)
    case.star(first + timedelta(days=139), 36)
    case.star(first + timedelta(days=140), 36)
    assert [o.achieved_on for o in outcomes(case, rulebooks)] == [first, first + timedelta(days=140)]


def test_the_fifth_qualifying_review_is_not_paid(rulebooks):
    case, _ = engaged_case(30)
    case.extended(BASELINE_ON + timedelta(days=700), review_on=date(2022, 1, 1))
    for n in range(1, 6):
        case.star(BASELINE_ON + timedelta(days=140 * n), 40)
    paid = outcomes(case, rulebooks)
    assert len(paid) == 4
    assert paid[-1].achieved_on == BASELINE_ON + timedelta(days=560)


def test_voiding_the_baseline_promotes_the_next_star(rulebooks):
    case, baseline = engaged_case(20)
    second = BASELINE_ON + timedelta(days=30)
    case.star(second, 30)
    case.star(second + timedelta(days=140), 32)
    case.voided(baseline, recorded_at=datetime(2019, 9, 1, tzinfo=UTC))
    [outcome] = outcomes(case, rulebooks)
    assert outcome.achieved_on == second + timedelta(days=140)  # 140 days after the promoted baseline


def test_voided_baseline_counts_until_the_void_is_recorded(rulebooks):
    case, baseline = engaged_case(20)
    case.star(BASELINE_ON + timedelta(days=30), 40)
    case.star(BASELINE_ON + timedelta(days=150), 41)
    void_at = datetime(2019, 9, 1, tzinfo=UTC)
    case.voided(baseline, recorded_at=void_at)
    assert len(outcomes(case, rulebooks, known_at=void_at - timedelta(seconds=1))) == 1
    assert outcomes(case, rulebooks, known_at=void_at) == []  # 120 days after the new baseline


def test_a_review_after_discharge_is_not_paid(rulebooks):
    case, _ = engaged_case(30)
    discharged_on = BASELINE_ON + timedelta(days=200)
    case.discharged(discharged_on)
    case.star(discharged_on + timedelta(days=1), 40)
    assert outcomes(case, rulebooks) == []


def test_a_review_on_the_discharge_date_is_paid(rulebooks):
    case, _ = engaged_case(30)
    discharged_on = BASELINE_ON + timedelta(days=200)
    case.star(discharged_on, 40)
    case.discharged(discharged_on)
    assert len(outcomes(case, rulebooks)) == 1


def test_a_review_on_the_second_anniversary_needs_an_extension(rulebooks):
    without, with_extension = engaged_case(30), engaged_case(30)
    anniversary = date(2021, 1, 7)
    without[0].star(anniversary, 40)
    with_extension[0].extended(anniversary - timedelta(days=5), review_on=anniversary)
    with_extension[0].star(anniversary, 40)
    assert outcomes(without[0], rulebooks) == []
    [outcome] = outcomes(with_extension[0], rulebooks)
    assert any(f.event_type == "CaseExtended" and str(f.event_id) in outcome.evidence for f in with_extension[0].facts)


def test_a_case_without_a_baseline_has_no_outcome(rulebooks):
    case = CaseFacts()
    case.opened(BASELINE_ON)
    assert outcomes(case, rulebooks) == []


def test_only_outcomes_achieved_by_as_of_are_payable(rulebooks):
    case, _ = engaged_case(30)
    review_on = BASELINE_ON + timedelta(days=150)
    case.star(review_on, 40)
    assert outcomes(case, rulebooks, as_of=review_on - timedelta(days=1)) == []
    assert len(outcomes(case, rulebooks, as_of=review_on)) == 1


def test_outcome_is_attributed_to_whoever_held_the_case_on_the_review_date(rulebooks):
    case, _ = engaged_case(30)
    review_on = BASELINE_ON + timedelta(days=150)
    case.reassigned(review_on + timedelta(days=1), WORKER_2)
    case.star(review_on, 40, recorded_at=datetime(2019, 12, 1, tzinfo=UTC))  # entered late, by the new worker
    [outcome] = outcomes(case, rulebooks)
    assert (outcome.provider_id, outcome.link_worker_id) == (PROVIDER_A, WORKER_1)


def test_outcome_carries_evidence_shares_and_a_stable_id(rulebooks):
    case, _ = engaged_case(30)
    case.star(BASELINE_ON + timedelta(days=150), 40)
    [first] = outcomes(case, rulebooks)
    [again] = outcomes(case, rulebooks)
    assert first.outcome_id == again.outcome_id
    assert dict(first.payer_shares) == {"ccg": 14000, "cbo": 4000, "sof": 2000}
    by_type = {f.event_type: str(f.event_id) for f in case.facts}
    assert {by_type["CaseOpened"], by_type["CaseEngaged"]} <= set(first.evidence)
    stars = [str(f.event_id) for f in case.facts if f.event_type == "WellbeingStarRecorded"]
    assert set(stars) <= set(first.evidence)
    assert first.patient_id == case.patient_id


def test_payable_totals_by_payer_and_provider(rulebooks):
    case, _ = engaged_case(30)
    case.star(BASELINE_ON + timedelta(days=150), 40)
    ledger = payable(case.facts, [], [], rulebooks, as_of=FAR, known_at=LATER)
    assert ledger.totals_by_payer == {"cbo": 4000, "ccg": 14000, "sof": 2000}
    assert ledger.totals_by_provider == {str(PROVIDER_A): 20000}
