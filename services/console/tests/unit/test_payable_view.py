"""The Payable page's view model: names, totals (its own and the API's), filters, sorting and pages."""

from __future__ import annotations

from datetime import date

import pytest
from console_lines import PROVIDER_A, PROVIDER_B, line, raw

from console.domain.payable import Filters, api_sort, line_from_api, page_of, page_window, totals, totals_from_api


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


def test_the_apis_totals_of_a_whole_answer_get_provider_names_and_the_rulebooks_payer_order():
    raw = {
        "amount": 49001,
        "by_payer": {"cbo": 9800, "ccg": 34301, "sof": 4900},
        "by_outcome": {"W": 40000, "S": 9001},
        "by_provider": {PROVIDER_A: 29001, PROVIDER_B: 20000, "programme": 0},
    }
    found = totals_from_api(raw, {PROVIDER_A: "Changing Lives"})
    assert found.amount == 49001 and list(found.by_payer) == ["ccg", "cbo", "sof"]
    assert found.by_outcome == {"S": 9001, "W": 40000}
    assert found.by_provider == {"Changing Lives": 29001, f"id {PROVIDER_B[:8]}…": 20000, "programme": 0}


def test_filters_become_the_apis_query_and_say_whether_any_is_set():
    assert Filters().params() == {} and not Filters(search="  ").any
    assert Filters("S", PROVIDER_B, " 2024q1 ").params() == {
        "outcome_type": "S",
        "provider_id": PROVIDER_B,
        "search": "2024q1",
    }
    assert Filters(outcome_type="W").any


def test_the_page_sorts_by_date_or_amount_either_way_and_nothing_else():
    assert api_sort("achieved_on") == "achieved_on" and api_sort("amount", descending=True) == "-amount"
    with pytest.raises(ValueError):
        api_sort("payload")


def test_pages_are_clamped_to_the_pages_there_are():
    assert page_window(2, 2, 5) == (2, 2) and page_window(99, 2, 5) == (3, 4) and page_window(0, 2, 5) == (1, 0)
    last = page_of([line(5)], 99, 2, 5)
    assert last.number == 3 and last.pages == 3 and len(last.lines) == 1 and last.first == 5
    empty = page_of([], 1, 50, 0)
    assert empty.pages == 1 and empty.first == 0 and empty.total_lines == 0
