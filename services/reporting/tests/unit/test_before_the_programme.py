"""Item 8 of issue 13: a business date before the programme's start (the earliest rulebook's
`effective_from`) is refused in the commissioner's uploads, and the ledger, when it meets a fact no
rulebook covers, still answers and lists it among its exceptions."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from reporting_builders import CaseFacts

from reporting.domain import (
    ActivityRow,
    ActivityType,
    ComparisonCost,
    CsvRejected,
    Quarter,
    filtered,
    parse_comparison_costs,
    parse_hospital_activity,
    payable,
    programme_start,
)

NOW = datetime(2021, 1, 1, tzinfo=UTC)
NHS = "9434765919"


def test_the_programme_starts_with_the_earliest_rulebook(rulebooks):
    assert programme_start(rulebooks) == date(2015, 4, 1)
    assert programme_start(()) is None


def test_a_star_back_entered_before_the_programme_is_an_exception_and_the_rest_still_pays(rulebooks):
    bad = CaseFacts()
    bad.opened(date(2007, 1, 2))
    bad.star(date(2007, 1, 2), 20)
    bad.star(date(2007, 7, 2), 30)  # a review no rulebook prices
    good = CaseFacts()
    good.opened(date(2019, 1, 7))
    good.star(date(2019, 1, 7), 20)
    good.star(date(2019, 7, 1), 30)
    ledger = payable(bad.facts + good.facts, [], [], rulebooks, as_of=date(2020, 1, 1), known_at=NOW)
    assert [line.case_id for line in ledger.lines] == [str(good.case_id)]
    assert [(x.case_id, x.on, x.field) for x in ledger.exceptions] == [
        (str(bad.case_id), date(2007, 1, 2), "taken_on"),
        (str(bad.case_id), date(2007, 7, 2), "taken_on"),
    ]
    assert ledger.exceptions[0].fact_id == str(bad.facts[1].event_id)
    assert "2015-04-01" in ledger.exceptions[0].reason
    assert filtered(ledger, provider_id=str(uuid.uuid4())).exceptions == ()
    assert filtered(ledger, provider_id=str(bad.provider_id)).exceptions == ledger.exceptions


def test_an_exception_follows_the_knowledge_axis_a_void_removes_it(rulebooks):
    case = CaseFacts()
    case.opened(date(2019, 1, 7))
    star = case.star(date(2007, 1, 7), 20)  # typed 2007 for 2019
    case.voided(star, datetime(2019, 2, 1, tzinfo=UTC))
    case.star(date(2019, 1, 7), 20, recorded_at=datetime(2019, 2, 1, tzinfo=UTC))
    before = payable(case.facts, [], [], rulebooks, as_of=date(2020, 1, 1), known_at=datetime(2019, 1, 31, tzinfo=UTC))
    after = payable(case.facts, [], [], rulebooks, as_of=date(2020, 1, 1), known_at=datetime(2019, 2, 1, tzinfo=UTC))
    assert len(before.exceptions) == 1 and after.exceptions == ()


def test_a_cohort_before_the_programme_is_not_measured_and_the_ledger_still_answers(rulebooks):
    case = CaseFacts()
    case.opened(date(2007, 1, 2))
    case.star(date(2007, 1, 2), 20)
    upload = uuid.uuid4()
    costs = [ComparisonCost(uuid.uuid4(), upload, 2, Quarter(2008, 1), 10_000, NOW - timedelta(days=1))]
    rows = [
        ActivityRow(uuid.uuid4(), upload, 2, case.patient_id, ActivityType.AE, date(2008, 2, 1), 1, NOW),
    ]
    ledger = payable(case.facts, rows, costs, rulebooks, as_of=date(2020, 1, 1), known_at=NOW)
    assert ledger.lines == () and len(ledger.exceptions) == 1


def test_an_activity_dated_before_the_programme_is_refused_with_its_line_and_field(rulebooks):
    text = f"nhs_number,activity_type,activity_date,cost_pence\n{NHS},ae,2015-04-01,1\n{NHS},ae,2015-03-31,1\n"
    with pytest.raises(CsvRejected) as refused:
        parse_hospital_activity(
            text,
            upload_id=uuid.uuid4(),
            recorded_at=NOW,
            pseudonymise=lambda n: n,
            patient_for_pseudonym={},
            not_before=programme_start(rulebooks),
        )
    [error] = refused.value.errors
    assert (error.line, error.field) == (3, "activity_date") and "2015-04-01" in error.message


def test_a_comparison_quarter_ending_before_the_programme_is_refused(rulebooks):
    text = "quarter,per_head_cost_pence\n2015Q1,10\n2015Q2,10\n"
    with pytest.raises(CsvRejected) as refused:
        parse_comparison_costs(text, upload_id=uuid.uuid4(), recorded_at=NOW, not_before=programme_start(rulebooks))
    assert [(e.line, e.field) for e in refused.value.errors] == [(2, "quarter")]
    kept = parse_comparison_costs(
        "quarter,per_head_cost_pence\n2015Q2,10\n", upload_id=uuid.uuid4(), recorded_at=NOW, not_before=date(2015, 4, 1)
    )
    assert [str(c.quarter) for c in kept] == ["2015Q2"]
