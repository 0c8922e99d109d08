import uuid
from collections import Counter
from datetime import UTC, datetime

import pytest

from contracts.pii import nhs_number_pseudonym
from reporting.domain import CsvRejected, Quarter, RowError, parse_comparison_costs, parse_hospital_activity
from reporting.domain.hospital_activity_csv import activity_key, without_resent

SECRET = b"a test secret of enough bytes"
KNOWN_NHS = "9434765919"
UNKNOWN_NHS = "4010232137"
PATIENT = uuid.uuid4()
RECORDED_AT = datetime(2020, 4, 15, tzinfo=UTC)
UPLOAD = uuid.uuid4()


def activity(text: str):
    return parse_hospital_activity(
        text,
        upload_id=UPLOAD,
        recorded_at=RECORDED_AT,
        pseudonymise=lambda n: nhs_number_pseudonym(n, SECRET),
        patient_for_pseudonym={nhs_number_pseudonym(KNOWN_NHS, SECRET): PATIENT},
    )


def test_rows_for_known_patients_are_applied_and_unknown_ones_counted():
    upload = activity(
        "nhs_number,activity_type,activity_date,cost_pence\n"
        "943 476 5919,admission,2020-02-01,150000\n"
        f"{UNKNOWN_NHS},ae,2020-02-03,12000\n"
    )
    [row] = upload.rows
    assert (row.patient_id, row.activity_type, row.cost_pence, row.line) == (PATIENT, "admission", 150000, 2)
    assert upload.unmatched_lines == (3,)
    assert (
        row.row_id
        == activity(f"nhs_number,activity_type,activity_date,cost_pence\n{KNOWN_NHS},admission,2020-02-01,150000\n")
        .rows[0]
        .row_id
    )


def test_every_bad_row_is_reported_with_its_line_number_and_nothing_is_applied():
    with pytest.raises(CsvRejected) as rejected:
        activity(
            "nhs_number,activity_type,activity_date,cost_pence\n"
            f"{KNOWN_NHS},admission,2020-02-01,150000\n"
            "9434765918,surgery,2020-02-30,-5\n"
            "\n"
            f"{KNOWN_NHS},outpatient,2020-03-01\n"
            f"{KNOWN_NHS},outpatient,2020-03-01,12.50\n"
        )
    assert rejected.value.errors == (
        RowError(3, "nhs_number", "check digit is wrong"),
        RowError(3, "activity_type", "must be one of admission, ae, outpatient"),
        RowError(3, "activity_date", "must be a date YYYY-MM-DD"),
        RowError(3, "cost_pence", "must be a whole number of pence, 0 or more"),
        RowError(5, "row", "expected 4 fields, got 3"),
        RowError(6, "cost_pence", "must be a whole number of pence, 0 or more"),
    )


def test_a_wrong_header_is_line_one():
    with pytest.raises(CsvRejected) as rejected:
        activity("nhs,activity_type,activity_date,cost_pence\n9434765919,ae,2020-01-01,1\n")
    assert [(e.line, e.field) for e in rejected.value.errors] == [(1, "header")]


def test_an_upload_with_no_rows_is_refused():
    with pytest.raises(CsvRejected):
        activity("nhs_number,activity_type,activity_date,cost_pence\n")


def test_comparison_costs_are_parsed_per_quarter():
    costs = parse_comparison_costs(
        "quarter,per_head_cost_pence\n2020Q1,100000\n2020Q2,90000\n", upload_id=UPLOAD, recorded_at=RECORDED_AT
    )
    assert [(c.quarter, c.per_head_cost_pence, c.line) for c in costs] == [
        (Quarter(2020, 1), 100000, 2),
        (Quarter(2020, 2), 90000, 3),
    ]


def test_bad_comparison_rows_are_all_reported():
    with pytest.raises(CsvRejected) as rejected:
        parse_comparison_costs(
            "per_head_cost_pence,quarter\n1,2020Q1\nx,2020Q5\n2,2020Q1\n", upload_id=UPLOAD, recorded_at=RECORDED_AT
        )
    assert [(e.line, e.field) for e in rejected.value.errors] == [
        (3, "quarter"),
        (3, "per_head_cost_pence"),
        (4, "quarter"),
    ]


def test_a_field_too_long_to_read_is_a_row_error_with_its_line_not_a_crash():
    with pytest.raises(CsvRejected) as rejected:
        activity("nhs_number,activity_type,activity_date,cost_pence\n" + "x" * 140_000 + ",ae,2020-02-03,1\n")
    assert (2, "row") in [(e.line, e.field) for e in rejected.value.errors]


@pytest.mark.parametrize("quarter", ["0999Q1", "0000Q1", "9999Q4"])
def test_a_quarter_outside_the_programmes_centuries_is_refused(quarter):
    with pytest.raises(CsvRejected):
        parse_comparison_costs(
            f"quarter,per_head_cost_pence\n{quarter},100\n", upload_id=UPLOAD, recorded_at=RECORDED_AT
        )


def test_rows_already_applied_from_an_earlier_upload_are_not_applied_again_counted_as_a_multiset():
    header = "nhs_number,activity_type,activity_date,cost_pence\n"
    first = activity(header + f"{KNOWN_NHS},ae,2020-02-03,12000\n" + f"{KNOWN_NHS},ae,2020-02-03,12000\n")
    stored = Counter(activity_key(r) for r in first.rows)  # two identical episodes, both applied
    again = activity(header + f"{KNOWN_NHS},ae,2020-02-03,12000\n" * 3 + f"{KNOWN_NHS},admission,2020-03-01,99\n")
    kept = without_resent(again, stored)
    assert kept.resent_lines == (2, 3)  # the two already stored
    assert [(r.line, r.activity_type) for r in kept.rows] == [(4, "ae"), (5, "admission")]
    assert without_resent(again, Counter()).rows == again.rows and without_resent(again, Counter()).resent_lines == ()
