"""The Payable page's view model: names, totals, filters, sorting and pages."""

from __future__ import annotations

from datetime import date

import pytest
from console_lines import PROVIDER_A, PROVIDER_B, line, raw

from console.domain.payable import Filters, filtered, line_from_api, page_of, sorted_lines, totals


def test_a_line_gets_names_for_its_ids_and_the_short_id_when_a_name_is_unknown():
    named = line(1)
    assert named.provider == "Changing Lives" and named.link_worker == "Aisha Armstrong"
    unnamed = line_from_api(raw(2), {}, {})
    assert unnamed.provider == f"id {PROVIDER_A[:8]}…" and unnamed.achieved_on == date(2025, 6, 10)


def test_a_savings_line_names_its_cohort_and_quarter_and_no_link_worker():
    s = line(3, kind="S", amount=9001)
    assert s.subject == "cohort 2024Q1, quarter 2025Q2" and s.link_worker == "(cohort outcome)"


def test_totals_by_payer_outcome_and_provider_add_up_to_the_total_to_the_penny():
    lines = [line(1), line(2, provider=PROVIDER_B), line(3, kind="S", amount=9001)]
    found = totals(lines)
    assert found.amount == 49001
    assert sum(found.by_payer.values()) == found.amount == sum(found.by_provider.values())
    assert found.by_outcome == {"S": 9001, "W": 40000}
    assert list(found.by_payer) == ["ccg", "cbo", "sof"]  # the rulebook's order
    assert found.by_provider == {"Changing Lives": 29001, "First Contact Clinical": 20000}


def test_no_lines_total_nothing():
    assert totals([]).amount == 0 and totals([]).by_payer == {}


def test_filters_by_outcome_provider_and_text():
    lines = [line(1), line(2, provider=PROVIDER_B), line(3, kind="S")]
    assert [x.outcome_id for x in filtered(lines, Filters(outcome_type="S"))] == [lines[2].outcome_id]
    assert filtered(lines, Filters(provider_id=PROVIDER_B)) == [lines[1]]
    assert filtered(lines, Filters(search="PATIENT-2")) == [lines[1]]
    assert filtered(lines, Filters(search="aisha")) == lines[:2]


def test_sorting_by_amount_and_by_date_both_ways_keeps_ties_in_ledger_order():
    lines = [line(1, amount=300), line(2, amount=100, day="2025-07-01"), line(3, amount=300, day="2025-05-01")]
    assert [x.amount for x in sorted_lines(lines, "amount")] == [100, 300, 300]
    assert [x.outcome_id[-1] for x in sorted_lines(lines, "amount")] == ["2", "1", "3"]
    assert [x.achieved_on.month for x in sorted_lines(lines, "achieved_on", descending=True)] == [7, 6, 5]


def test_sorting_by_an_unknown_column_is_refused():
    with pytest.raises(ValueError):
        sorted_lines([line(1)], "payload")


def test_pages_are_clamped_to_the_pages_there_are():
    lines = [line(n) for n in range(1, 6)]
    assert [x.outcome_id[-1] for x in page_of(lines, 2, 2).lines] == ["3", "4"]
    last = page_of(lines, 99, 2)
    assert last.number == 3 and last.pages == 3 and len(last.lines) == 1 and last.first == 5
    empty = page_of([], 1, 50)
    assert empty.pages == 1 and empty.first == 0 and empty.total_lines == 0
