"""Export cells: text a spreadsheet would execute is neutralised in CSV and XLSX; money and dates are
typed in XLSX; tables are written as their rows are read."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import load_workbook

from reporting.entrypoints.exports import Pence, csv_chunks, neutralised, xlsx_chunks

FORMULAS = ["=1+1", "+1", "-2", "@SUM(A1:A9)", "\t=1", "\r=1", '=HYPERLINK("http://evil.example","x")']


def test_text_a_spreadsheet_would_execute_gets_a_leading_quote_and_nothing_else_changes():
    assert [neutralised(t) for t in FORMULAS] == ["'" + t for t in FORMULAS]
    assert [neutralised(t) for t in ("2024Q1", "a=b", "", "w2w-2015@1")] == ["2024Q1", "a=b", "", "w2w-2015@1"]


def test_formulas_are_plain_text_in_csv_and_xlsx_but_negative_amounts_stay_numbers():
    sheet = ("t", ["text", "amount"], [[f, Pence(-500)] for f in FORMULAS])
    rows = list(csv.reader(io.StringIO(b"".join(csv_chunks(sheet)).decode(), newline="")))
    assert [r[0] for r in rows[1:]] == ["'" + f for f in FORMULAS] and {r[1] for r in rows[1:]} == {"-500"}
    book = load_workbook(io.BytesIO(b"".join(xlsx_chunks([sheet]))))
    cells = list(book["t"].iter_rows(min_row=2))
    assert all(c[0].data_type == "s" and c[0].value.startswith("'") for c in cells)
    assert {c[1].value for c in cells} == {-5} and all("£" in c[1].number_format for c in cells)


def test_rows_are_read_as_they_are_written():
    read = []

    def rows():
        for n in range(5):
            read.append(n)
            yield [n, date(2025, 1, n + 1)]

    chunks = csv_chunks(("t", ["n", "on"], rows()), rows_per_chunk=2)
    assert next(chunks) == b"n,on\r\n0,2025-01-01\r\n1,2025-01-02\r\n" and read == [0, 1]
    assert b"".join(chunks).endswith(b"4,2025-01-05\r\n")
    book = load_workbook(io.BytesIO(b"".join(xlsx_chunks([("t", ["n", "on"], rows())]))))
    assert book["t"].cell(2, 2).is_date and book["t"].cell(2, 2).number_format == "yyyy-mm-dd"
