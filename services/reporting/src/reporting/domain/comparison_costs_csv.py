"""Comparison cost upload: `quarter` (`2019Q2`), `per_head_cost_pence`. One row per quarter in an
upload (a repeated quarter is an error); a later upload for a quarter supersedes an earlier one
from its `recorded_at`. Any bad row rejects the whole upload, every error listed with its line.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from reporting.domain.calendar import Quarter
from reporting.domain.commissioner_data import ComparisonCost, row_id
from reporting.domain.csv_upload import non_negative_pence, read_rows
from reporting.domain.errors import CsvRejected, RowError

COLUMNS = ("quarter", "per_head_cost_pence")


def parse_comparison_costs(
    text: str, *, upload_id: UUID, recorded_at: datetime, not_before: date | None = None
) -> tuple[ComparisonCost, ...]:
    """`not_before`: the programme's start; a quarter that ends before it is refused."""
    errors: list[RowError] = []
    costs: list[ComparisonCost] = []
    seen: dict[Quarter, int] = {}
    for line, raw in read_rows(text, COLUMNS, errors):
        before = len(errors)
        quarter = _quarter(line, raw["quarter"], errors)
        if quarter is not None and not_before is not None and quarter.last_day < not_before:
            errors.append(RowError(line, "quarter", f"ends before the programme's start, {not_before}"))
            quarter = None
        pence = non_negative_pence(line, "per_head_cost_pence", raw["per_head_cost_pence"], errors)
        if quarter is not None and quarter in seen:
            errors.append(RowError(line, "quarter", f"this quarter is already on line {seen[quarter]}"))
        if len(errors) > before or quarter is None or pence is None:
            continue
        seen[quarter] = line
        costs.append(ComparisonCost(row_id(upload_id, line), upload_id, line, quarter, pence, recorded_at))
    if errors:
        raise CsvRejected(errors)
    return tuple(costs)


def _quarter(line: int, value: str, errors: list[RowError]) -> Quarter | None:
    try:
        return Quarter.parse(value)
    except ValueError:
        errors.append(RowError(line, "quarter", "must be a quarter like 2019Q2"))
        return None
