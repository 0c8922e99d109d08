"""Reading a commissioner CSV row by row, collecting every error with its line number.

Line 1 is the header; the first data row is line 2 (a quoted field spanning lines counts from the
line the row starts on). The header must hold exactly the expected columns, in any order.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence

from reporting.domain.errors import RowError

_NON_NEGATIVE_INT = re.compile(r"^\d{1,15}$")


def read_rows(text: str, columns: Sequence[str], errors: list[RowError]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line, row) for rows with the right number of fields; log every other problem in `errors`."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        errors.append(RowError(1, "header", f"unreadable: {exc}"))
        return
    if header is None:
        errors.append(RowError(1, "header", "the file is empty"))
        return
    names = [name.strip() for name in header]
    if sorted(names) != sorted(columns):
        errors.append(RowError(1, "header", _header_problem(names, columns)))
        return
    start, seen = reader.line_num + 1, 0
    while True:
        try:
            raw = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # e.g. a field over the csv module's size limit: this line is bad
            errors.append(RowError(start, "row", f"unreadable: {exc}"))
            break
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in raw):
            continue  # blank lines are ignored
        seen += 1
        if len(raw) != len(names):
            errors.append(RowError(line, "row", f"expected {len(names)} fields, got {len(raw)}"))
            continue
        yield line, {name: cell.strip() for name, cell in zip(names, raw, strict=True)}
    if seen == 0:
        errors.append(RowError(1, "file", "no data rows"))


def _header_problem(names: Sequence[str], columns: Sequence[str]) -> str:
    """What is wrong with the header, in the expected columns' names only: a header cell is input, and
    a file sent without its header has a patient's NHS number there (errors never echo what was sent)."""
    missing = [c for c in columns if c not in names]
    unexpected = sum(1 for n in names if n not in columns)
    repeated = len(names) - len(set(names))
    said = [f"expected exactly the columns {', '.join(columns)}"]
    if missing:
        said.append(f"missing {', '.join(missing)}")
    if unexpected:
        said.append(f"{unexpected} column{'s' if unexpected != 1 else ''} not expected")
    if repeated:
        said.append(f"{repeated} repeated")
    return "; ".join(said)


def non_negative_pence(line: int, field: str, value: str, errors: list[RowError]) -> int | None:
    if not _NON_NEGATIVE_INT.match(value):
        errors.append(RowError(line, field, "must be a whole number of pence, 0 or more"))
        return None
    return int(value)
