"""JSON, CSV and XLSX answers with stable column names (the same table for CSV and XLSX), and the
tables every finance export shares: outcome lines with one share column per payer, and totals.

Rows are consumed lazily, so a table can be streamed (`streamed_table`): CSV a batch of rows at a
time; XLSX through openpyxl's write-only workbook (each sheet goes to a temporary file as it is
written; the zip is assembled in a spooled temporary file, then sent in chunks), so neither holds
every line in memory. Cells: money (`Pence`) is integer pence in CSV and a currency cell in pounds in
XLSX; dates are `YYYY-MM-DD` in CSV and date cells in XLSX. Text a spreadsheet would run as a formula
(starting with `=`, `+`, `-`, `@`, a tab or a carriage return) is neutralised with a leading `'`
(OWASP, "CSV injection"), in both formats.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from fastapi import Response
from fastapi.responses import JSONResponse, StreamingResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMATS = ("json", "csv", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GBP = '"£"#,##0.00;[Red]-"£"#,##0.00'
DATE = "yyyy-mm-dd"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 64 * 1024

Sheet = tuple[str, Sequence[str], Iterable[Sequence[Any]]]  # (name, columns, rows)

LINE_COLUMNS_HEAD = ("outcome_id", "outcome_type", "patient_id", "cohort", "measured_quarter", "achieved_on", "amount")
LINE_COLUMNS_TAIL = ("provider_id", "link_worker_id", "rulebook", "evidence")


class Pence(int):
    """An amount of money in a table: pence in CSV, pounds in an XLSX currency cell."""


# OpenAPI: a finance answer is also a table, as CSV or XLSX (`format=`); JSON is the route's model.
TABLE_FORMATS: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            XLSX: {"schema": {"type": "string", "format": "binary"}},
        }
    }
}


def table_response(body: Any, sheets: Sequence[Sheet], fmt: str, filename: str) -> Response:
    """`body` for JSON; the first sheet for CSV; every sheet for XLSX (small tables, in one piece)."""
    if fmt == "json":
        return JSONResponse(body)
    data = b"".join(csv_chunks(sheets[0]) if fmt == "csv" else xlsx_chunks(sheets))
    return Response(data, media_type=_media(fmt), headers=_attachment(filename, fmt))


def streamed_table(
    source: Callable[[], AbstractContextManager[Sequence[Sheet]]], fmt: str, filename: str
) -> StreamingResponse:
    """A table sent as it is read: `source()` opens the sheets (their rows lazy) and is closed when
    the last byte is sent, or when the client goes away."""

    def chunks() -> Iterator[bytes]:
        with source() as sheets:
            yield from csv_chunks(sheets[0]) if fmt == "csv" else xlsx_chunks(sheets)

    return StreamingResponse(chunks(), media_type=_media(fmt), headers=_attachment(filename, fmt))


def csv_chunks(sheet: Sheet, rows_per_chunk: int = 500) -> Iterator[bytes]:
    _, columns, rows = sheet
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180: a CR or LF inside a cell is quoted
    writer.writerow([csv_cell(c) for c in columns])
    for n, row in enumerate(rows, start=1):
        writer.writerow([csv_cell(v) for v in row])
        if n % rows_per_chunk == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


def xlsx_chunks(sheets: Iterable[Sheet]) -> Iterator[bytes]:
    book = Workbook(write_only=True)
    for name, columns, rows in sheets:
        sheet = book.create_sheet(name)
        sheet.append([xlsx_cell(sheet, c) for c in columns])
        for row in rows:
            sheet.append([xlsx_cell(sheet, v) for v in row])
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as out:
        book.save(out)
        out.seek(0)
        while chunk := out.read(CHUNK):
            yield chunk


def csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = " ".join(str(v) for v in value)
    elif isinstance(value, dict):
        value = ";".join(f"{k}={v}" for k, v in value.items())
    elif isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    return neutralised(value) if isinstance(value, str) else value


def xlsx_cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    if isinstance(value, Pence):
        cell = WriteOnlyCell(sheet, Decimal(int(value)).scaleb(-2))
        cell.number_format = GBP
        return cell
    if isinstance(value, date) and not isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = DATE
        return cell
    return csv_cell(value)


def neutralised(text: str) -> str:
    """Text a spreadsheet would execute as a formula, made plain text with a leading `'`."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def line_sheets(
    payers: Sequence[str], lines: Iterable[Mapping[str, Any]], totals: Mapping[str, Any], extra: tuple[str, ...] = ()
) -> list[Sheet]:
    """Outcome (or claim) lines, one `payer_share_<payer>` column per payer, then the totals sheets
    (by payer, by outcome when the totals have it, by provider, the total). `extra`: columns of the
    line put first (a claim's `kind`). The lines are read lazily, as the table is written."""
    columns = [*extra, *LINE_COLUMNS_HEAD, *(f"payer_share_{p}" for p in payers), *LINE_COLUMNS_TAIL]
    rows = (_line_row(line, payers, extra) for line in lines)
    sheets: list[Sheet] = [
        ("lines", columns, rows),
        ("totals_by_payer", ["payer", "amount"], _money(totals["by_payer"])),
    ]
    if "by_outcome" in totals:
        sheets.append(("totals_by_outcome", ["outcome_type", "amount"], _money(totals["by_outcome"])))
    sheets += [
        ("totals_by_provider", ["provider_id", "amount"], _money(totals["by_provider"])),
        ("total", ["amount"], [[Pence(totals["amount"])]]),
    ]
    return sheets


def _line_row(line: Mapping[str, Any], payers: Sequence[str], extra: tuple[str, ...]) -> list[Any]:
    head = {c: line[c] for c in LINE_COLUMNS_HEAD} | {
        "achieved_on": date.fromisoformat(line["achieved_on"]),
        "amount": Pence(line["amount"]),
    }
    return [
        *(line[c] for c in extra),
        *head.values(),
        *(Pence(line["payer_shares"].get(p, 0)) for p in payers),
        *(line[c] for c in LINE_COLUMNS_TAIL),
    ]


def _money(by: Mapping[str, int]) -> list[list[Any]]:
    return [[key, Pence(pence)] for key, pence in by.items()]


def _media(fmt: str) -> str:
    return "text/csv; charset=utf-8" if fmt == "csv" else XLSX


def _attachment(filename: str, fmt: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}.{fmt}"'}
