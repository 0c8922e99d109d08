"""What the Payable page shows, as CSV or as XLSX with real date and currency cells (openpyxl).

Both are written as the lines arrive (the reporting API's pages), so a download of any size never
holds every line: CSV in chunks; XLSX with openpyxl's write-only workbook (rows go to a temporary
file; the zip is assembled in a spooled temporary file and sent in chunks). Text a spreadsheet would
run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return: a link worker's or a
provider's name is typed by people) gets a leading `'` (OWASP, "CSV injection")."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from console.domain.money import as_decimal_pounds
from console.domain.payable import Line, Totals, payer_name

COLUMNS = ["outcome_id", "outcome", "patient or cohort", "achieved_on", "amount", "provider", "link_worker", "rulebook"]
GBP = '"£"#,##0.00;[Red]-"£"#,##0.00'
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 64 * 1024


def neutralised(text: str) -> str:
    """Text a spreadsheet would execute, made plain text with a leading `'`."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def payable_csv(lines: Iterable[Line], payers: Sequence[str], rows_per_chunk: int = 500) -> Iterator[bytes]:
    """Amounts in pounds with two decimals (`200.00`), dates as YYYY-MM-DD; one share column per payer."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180: a CR or LF inside a cell is quoted
    writer.writerow([*COLUMNS, *(f"share {payer_name(p)}" for p in payers)])
    for n, line in enumerate(lines, start=1):
        shares = [f"{as_decimal_pounds(line.payer_shares.get(p, 0)):.2f}" for p in payers]
        cells = _cells(line)
        writer.writerow([*cells[:3], line.achieved_on.isoformat(), f"{cells[4]:.2f}", *cells[5:], *shares])
        if n % rows_per_chunk == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


def payable_xlsx(lines: Iterable[Line], payers: Sequence[str], totals: Totals) -> Iterator[bytes]:
    """The lines (date and currency cells), then the totals of the lines downloaded: by payer, by
    outcome and by provider, in currency cells."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("payable")
    sheet.append([*COLUMNS, *(f"share {payer_name(p)}" for p in payers)])
    for line in lines:
        cells = _cells(line)
        sheet.append(
            [
                *cells[:3],
                _formatted(sheet, line.achieved_on, "yyyy-mm-dd"),
                _formatted(sheet, cells[4], GBP),
                *cells[5:],
                *(_formatted(sheet, as_decimal_pounds(line.payer_shares.get(p, 0)), GBP) for p in payers),
            ]
        )
    _totals_sheets(book, totals)
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as out:
        book.save(out)
        out.seek(0)
        while chunk := out.read(CHUNK):
            yield chunk


def _formatted(sheet: WriteOnlyWorksheet, value: object, number_format: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value)
    cell.number_format = number_format
    return cell


def _cells(line: Line) -> list[object]:
    return [
        line.outcome_id,
        line.outcome_type,
        neutralised(line.subject),
        line.achieved_on,
        as_decimal_pounds(line.amount),
        neutralised(line.provider),
        neutralised(line.link_worker),
        neutralised(line.rulebook),
    ]


def _totals_sheets(book: Workbook, found: Totals) -> None:
    for title, rows in (
        ("totals_by_payer", [(payer_name(k), v) for k, v in found.by_payer.items()]),
        ("totals_by_outcome", list(found.by_outcome.items())),
        ("totals_by_provider", list(found.by_provider.items())),
    ):
        sheet = book.create_sheet(title)
        sheet.append([title.removeprefix("totals_by_"), "amount"])
        for name, pence in [*rows, ("total", found.amount)]:
            sheet.append([neutralised(name), _formatted(sheet, as_decimal_pounds(pence), GBP)])
