"""What the Payable page shows, as CSV or as XLSX with real date and currency cells (openpyxl)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook

from console.domain.money import as_decimal_pounds
from console.domain.payable import Line, payer_name, totals

COLUMNS = ["outcome_id", "outcome", "patient or cohort", "achieved_on", "amount", "provider", "link_worker", "rulebook"]
GBP = '"£"#,##0.00;[Red]-"£"#,##0.00'


def _payers(lines: Sequence[Line]) -> list[str]:
    return sorted({payer for line in lines for payer in line.payer_shares})


def payable_csv(lines: Sequence[Line]) -> bytes:
    """Amounts in pounds with two decimals (`200.00`), dates as YYYY-MM-DD."""
    payers = _payers(lines)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*COLUMNS, *(f"share {payer_name(p)}" for p in payers)])
    for line in lines:
        shares = [f"{as_decimal_pounds(line.payer_shares.get(p, 0)):.2f}" for p in payers]
        writer.writerow([*_cells(line)[:4], f"{as_decimal_pounds(line.amount):.2f}", *_cells(line)[5:], *shares])
    return out.getvalue().encode("utf-8")


def payable_xlsx(lines: Sequence[Line]) -> bytes:
    payers = _payers(lines)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "payable"
    sheet.append([*COLUMNS, *(f"share {payer_name(p)}" for p in payers)])
    for row, line in enumerate(lines, start=2):
        sheet.append([*_cells(line), *(as_decimal_pounds(line.payer_shares.get(p, 0)) for p in payers)])
        sheet.cell(row, 4).number_format = "yyyy-mm-dd"
        for column in [5, *range(len(COLUMNS) + 1, len(COLUMNS) + 1 + len(payers))]:
            sheet.cell(row, column).number_format = GBP
    _totals_sheets(book, lines)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cells(line: Line) -> list[object]:
    return [
        line.outcome_id,
        line.outcome_type,
        line.subject,
        line.achieved_on,
        as_decimal_pounds(line.amount),
        line.provider,
        line.link_worker,
        line.rulebook,
    ]


def _totals_sheets(book: Workbook, lines: Sequence[Line]) -> None:
    """The totals of the lines downloaded: by payer, by outcome and by provider, in currency cells."""
    found = totals(lines)
    for title, rows in (
        ("totals_by_payer", [(payer_name(k), v) for k, v in found.by_payer.items()]),
        ("totals_by_outcome", list(found.by_outcome.items())),
        ("totals_by_provider", list(found.by_provider.items())),
    ):
        sheet = book.create_sheet(title)
        sheet.append([title.removeprefix("totals_by_"), "amount"])
        for row, (name, pence) in enumerate([*rows, ("total", found.amount)], start=2):
            sheet.append([name, as_decimal_pounds(pence)])
            sheet.cell(row, 2).number_format = GBP
