import uuid
from datetime import UTC, date, datetime, timedelta

from reporting_builders import PROVIDER_A, PROVIDER_B, CaseFacts

from reporting.domain import ActivityRow, ActivityType, ComparisonCost, Quarter, payable
from reporting.domain.outcome_s import measured_quarters, quarter_ended_at

COHORT = Quarter(2019, 1)  # baselines taken January–March 2019
FIRST_MEASURED = Quarter(2020, 1)  # begins 12 months after the cohort's quarter begins
UPLOADED_AT = datetime(2020, 4, 15, tzinfo=UTC)
LATER = datetime(2030, 1, 1, tzinfo=UTC)


def patients(*providers) -> list[CaseFacts]:
    cases = []
    for i, provider in enumerate(providers):
        case = CaseFacts(provider_id=provider)
        case.opened(date(2019, 1, 2))
        case.star(date(2019, 1, 10 + i), 30)
        cases.append(case)
    return cases


def comparison(quarter: Quarter, per_head: int, recorded_at=UPLOADED_AT) -> ComparisonCost:
    return ComparisonCost(uuid.uuid4(), uuid.uuid4(), 2, quarter, per_head, recorded_at)


def activity(case: CaseFacts, on: date, cost: int, recorded_at=UPLOADED_AT) -> ActivityRow:
    return ActivityRow(uuid.uuid4(), uuid.uuid4(), 2, case.patient_id, ActivityType.ADMISSION, on, cost, recorded_at)


def s_ledger(cases, rows, costs, rulebooks, as_of=date(2030, 1, 1), known_at=LATER):
    facts = [f for case in cases for f in case.facts]
    return payable(facts, rows, costs, rulebooks, as_of=as_of, known_at=known_at)


def test_a_cohort_is_measured_in_the_quarters_beginning_12_15_18_and_21_months_later(rulebooks):
    assert [str(q) for q in measured_quarters(COHORT, rulebooks)] == ["2020Q1", "2020Q2", "2020Q3", "2020Q4"]


def test_savings_are_paid_at_thirty_percent_rounded_down_on_the_quarters_last_day(rulebooks):
    cases = patients(PROVIDER_A, PROVIDER_A)
    rows = [activity(cases[0], date(2020, 2, 1), 50_001)]
    [line] = s_ledger(cases, rows, [comparison(FIRST_MEASURED, 100_000)], rulebooks).lines
    assert line.amount == (200_000 - 50_001) * 30 // 100 == 44_999
    assert line.achieved_on == date(2020, 3, 31)
    assert (line.cohort, line.measured_quarter, line.provider_id, line.link_worker_id) == (
        "2019Q1",
        "2020Q1",
        PROVIDER_A,
        None,
    )
    assert str(rows[0].row_id) in line.evidence
    assert sum(p for _, p in line.payer_shares) == line.amount


def test_activity_eleven_months_after_the_cohort_began_is_not_measured(rulebooks):
    cases = patients(PROVIDER_A)
    in_month_11 = activity(cases[0], date(2019, 12, 31), 90_000)
    in_month_12 = activity(cases[0], date(2020, 1, 1), 90_000)
    costs = [comparison(Quarter(2019, 4), 100_000), comparison(FIRST_MEASURED, 100_000)]
    lines = s_ledger(cases, [in_month_11], costs, rulebooks).lines
    assert [(str(line.measured_quarter), line.amount) for line in lines] == [("2020Q1", 30_000)]
    lines = s_ledger(cases, [in_month_12], costs, rulebooks).lines
    assert [(str(line.measured_quarter), line.amount) for line in lines] == [("2020Q1", 3_000)]


def test_nothing_is_payable_before_the_measured_quarter_has_ended(rulebooks):
    cases = patients(PROVIDER_A)
    costs = [comparison(FIRST_MEASURED, 100_000)]
    assert s_ledger(cases, [], costs, rulebooks, as_of=date(2020, 3, 30)).lines == ()
    assert len(s_ledger(cases, [], costs, rulebooks, as_of=date(2020, 3, 31)).lines) == 1


def test_nothing_is_payable_until_the_comparison_cost_is_known(rulebooks):
    cases = patients(PROVIDER_A)
    costs = [comparison(FIRST_MEASURED, 100_000)]
    assert s_ledger(cases, [], costs, rulebooks, known_at=datetime(2020, 4, 14, tzinfo=UTC)).lines == ()
    assert s_ledger(cases, [], [], rulebooks).lines == ()


def test_negative_savings_pay_nothing(rulebooks):
    cases = patients(PROVIDER_A)
    rows = [activity(cases[0], date(2020, 2, 1), 150_000)]
    assert s_ledger(cases, rows, [comparison(FIRST_MEASURED, 100_000)], rulebooks).lines == ()


def test_a_late_activity_row_changes_the_answer_only_from_when_it_was_recorded(rulebooks):
    cases = patients(PROVIDER_A)
    late_at = datetime(2020, 6, 1, tzinfo=UTC)
    rows = [activity(cases[0], date(2020, 2, 1), 100_000, recorded_at=late_at)]
    costs = [comparison(FIRST_MEASURED, 100_000)]
    assert s_ledger(cases, rows, costs, rulebooks, known_at=late_at.replace(day=1, month=5)).total == 30_000
    assert s_ledger(cases, rows, costs, rulebooks, known_at=late_at).total == 0


def test_a_later_comparison_upload_for_a_quarter_supersedes_the_earlier(rulebooks):
    cases = patients(PROVIDER_A)
    costs = [comparison(FIRST_MEASURED, 100_000), comparison(FIRST_MEASURED, 10_000, datetime(2020, 5, 1, tzinfo=UTC))]
    assert s_ledger(cases, [], costs, rulebooks, known_at=datetime(2020, 4, 30, tzinfo=UTC)).total == 30_000
    assert s_ledger(cases, [], costs, rulebooks).total == 3_000


def test_two_comparison_uploads_recorded_at_one_moment_resolve_by_upload_id_whatever_their_order(rulebooks):
    cases = patients(PROVIDER_A)
    low, high = sorted([uuid.uuid4(), uuid.uuid4()])
    costs = [
        ComparisonCost(uuid.uuid4(), high, 2, FIRST_MEASURED, 10_000, UPLOADED_AT),
        ComparisonCost(uuid.uuid4(), low, 2, FIRST_MEASURED, 100_000, UPLOADED_AT),
    ]
    # the stores read them ORDER BY recorded_at, upload_id, line: the higher upload id is the later
    assert s_ledger(cases, [], costs, rulebooks).total == 3_000
    assert s_ledger(cases, [], costs[::-1], rulebooks).total == 3_000


def test_the_cohort_amount_is_split_across_providers_by_head_count_exactly(rulebooks):
    cases = patients(PROVIDER_A, PROVIDER_A, PROVIDER_B)
    lines = s_ledger(cases, [], [comparison(FIRST_MEASURED, 1_001)], rulebooks).lines
    assert sum(line.amount for line in lines) == 3_003 * 30 // 100 == 900
    assert {line.provider_id: line.amount for line in lines} == {PROVIDER_A: 600, PROVIDER_B: 300}
    assert len({line.outcome_id for line in lines}) == 2


def test_cohort_membership_follows_the_baseline_as_known(rulebooks):
    [case] = patients(PROVIDER_A)
    void_at = datetime(2021, 1, 1, tzinfo=UTC)
    baseline = next(f for f in case.facts if f.event_type == "WellbeingStarRecorded").payload["star_id"]
    case.star(date(2019, 4, 2), 30)  # a second Star, in 2019Q2
    case.voided(uuid.UUID(baseline), void_at)
    costs = [comparison(FIRST_MEASURED, 100_000), comparison(Quarter(2020, 2), 100_000)]
    before = s_ledger([case], [], costs, rulebooks, known_at=datetime(2020, 12, 31, tzinfo=UTC))
    after = s_ledger([case], [], costs, rulebooks)
    assert [line.cohort for line in before.lines] == ["2019Q1", "2019Q1"]
    assert [line.cohort for line in after.lines] == ["2019Q2"]


def test_a_quarter_is_payable_as_known_at_t_only_once_it_has_ended_by_t(rulebooks):
    """Issue 13 item 3: a comparison cost recorded before its quarter is over (a forecast) does not
    make the quarter payable as known at a moment inside the quarter, whatever `as_of` is asked."""
    case = CaseFacts()
    case.opened(date(2019, 1, 7))
    case.star(date(2019, 1, 7), 20)
    q = Quarter(2020, 1)  # the cohort 2019Q1's first measured quarter
    cost = ComparisonCost(uuid.uuid4(), uuid.uuid4(), 2, q, 10_000, datetime(2020, 2, 1, tzinfo=UTC))
    ended = quarter_ended_at(q)
    assert ended == datetime(2020, 3, 31, 23, tzinfo=UTC)  # midnight in London (BST from 29 March)
    far = date(2030, 1, 1)
    inside = payable(case.facts, [], [cost], rulebooks, as_of=far, known_at=ended - timedelta(microseconds=1))
    after = payable(case.facts, [], [cost], rulebooks, as_of=far, known_at=ended)
    assert inside.lines == () and after.total == 3000
