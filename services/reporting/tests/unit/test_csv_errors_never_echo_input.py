"""A rejected commissioner upload says what is wrong by line and column, never what was sent: a file
sent without its header has a patient's NHS number where the header should be (docs/security.md)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from reporting.domain.comparison_costs_csv import parse_comparison_costs
from reporting.domain.errors import CsvRejected
from reporting.domain.hospital_activity_csv import parse_hospital_activity

NHS = "9434765919"
AT = datetime(2024, 1, 1, tzinfo=UTC)


def rejected_activity(text: str) -> list[str]:
    with pytest.raises(CsvRejected) as rejected:
        parse_hospital_activity(
            text, upload_id=uuid.uuid4(), recorded_at=AT, pseudonymise=lambda n: n, patient_for_pseudonym={}
        )
    return [f"{e.field}: {e.message}" for e in rejected.value.errors]


def test_a_file_without_its_header_is_refused_without_quoting_its_first_row():
    errors = rejected_activity(f"{NHS},ae,2020-02-03,12000\n")
    assert errors and all(NHS not in e and "2020-02-03" not in e and "12000" not in e for e in errors)
    assert "missing nhs_number, activity_type, activity_date, cost_pence" in errors[0]


def test_a_header_with_an_unexpected_column_names_only_the_expected_ones():
    errors = rejected_activity(
        f"nhs_number,activity_type,activity_date,cost_pence,Joan Robson {NHS}\n{NHS},ae,2020-02-03,1\n"
    )
    assert errors == [
        "header: expected exactly the columns nhs_number, activity_type, activity_date, cost_pence; 1 column not expected"
    ]


def test_bad_rows_are_named_by_line_and_field_not_by_value():
    errors = rejected_activity(
        f"nhs_number,activity_type,activity_date,cost_pence\n{NHS[:-1]}0,walk-in,03/02/2020,-5\n"
    )
    assert len(errors) == 4
    assert all(v not in e for e in errors for v in (NHS[:-1], "walk-in", "03/02/2020", "-5"))


def test_comparison_cost_refusals_do_not_quote_the_quarter_sent():
    text = "quarter,per_head_cost_pence\n2014Q1,100\n2019Q2,100\n2019Q2,200\n"
    with pytest.raises(CsvRejected) as rejected:
        parse_comparison_costs(text, upload_id=uuid.uuid4(), recorded_at=AT, not_before=date(2015, 4, 1))
    messages = [e.message for e in rejected.value.errors]
    assert len(messages) == 2 and not any("2014Q1" in m or "2019Q2" in m for m in messages)
