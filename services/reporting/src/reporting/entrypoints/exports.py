"""JSON, CSV and XLSX answers with stable column names (the same table for CSV and XLSX), and the
tables every finance export shares: outcome lines with one share column per payer, and totals."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fastapi import Response
from fastapi.responses import JSONResponse
from openpyxl import Workbook

FORMATS = ("json", "csv", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Sheet = tuple[str, Sequence[str], Iterable[Sequence[Any]]]  # (name, columns, rows)

LINE_COLUMNS_HEAD = ("outcome_id", "outcome_type", "patient_id", "cohort", "measured_quarter", "achieved_on", "amount")
LINE_COLUMNS_TAIL = ("provider_id", "link_worker_id", "rulebook", "evidence")


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
    """`body` for JSON; the first sheet for CSV; every sheet for XLSX."""
    if fmt == "json":
        return JSONResponse(body)
    if fmt == "csv":
        name, columns, rows = sheets[0]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_cell(v) for v in row] for row in rows)
        return Response(
            out.getvalue().encode("utf-8"),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}.csv"'},
        )
    book = Workbook()
    book.remove(book.active)
    for name, columns, rows in sheets:
        sheet = book.create_sheet(name)
        sheet.append(list(columns))
        for row in rows:
            sheet.append([_cell(v) for v in row])
    out_bytes = io.BytesIO()
    book.save(out_bytes)
    return Response(
        out_bytes.getvalue(),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{filename}.xlsx"'},
    )


def line_sheets(
    payers: Sequence[str], lines: Iterable[Mapping[str, Any]], totals: Mapping[str, Any], extra: tuple[str, ...] = ()
) -> list[Sheet]:
    """Outcome (or claim) lines, one `payer_share_<payer>` column per payer, then the totals sheets.
    `extra`: columns of the line put first (a claim's `kind`)."""
    columns = [*extra, *LINE_COLUMNS_HEAD, *(f"payer_share_{p}" for p in payers), *LINE_COLUMNS_TAIL]
    rows = [
        [
            *(line[c] for c in extra),
            *(line[c] for c in LINE_COLUMNS_HEAD),
            *(line["payer_shares"].get(p, 0) for p in payers),
            *(line[c] for c in LINE_COLUMNS_TAIL),
        ]
        for line in lines
    ]
    return [
        ("lines", columns, rows),
        ("totals_by_payer", ["payer", "amount"], list(totals["by_payer"].items())),
        ("totals_by_provider", ["provider_id", "amount"], list(totals["by_provider"].items())),
        ("total", ["amount"], [[totals["amount"]]]),
    ]


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ";".join(f"{k}={v}" for k, v in value.items())
    return value
