"""What the commissioner uploads, once accepted: hospital activity rows and comparison costs.

Both are bitemporal like events: `recorded_at` is when the upload was accepted, so a row uploaded
late changes the answer only for later `known_at` moments. Activity rows are additive (each row is
one hospital episode). For comparison costs the latest upload known for a quarter wins.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID, uuid5

from reporting.domain.calendar import Quarter
from reporting.domain.outcome import OUTCOME_NAMESPACE


class ActivityType(StrEnum):
    ADMISSION = "admission"
    AE = "ae"
    OUTPATIENT = "outpatient"


@dataclass(frozen=True)
class ActivityRow:
    row_id: UUID
    upload_id: UUID
    line: int
    patient_id: UUID
    activity_type: ActivityType
    activity_date: date
    cost_pence: int
    recorded_at: datetime


@dataclass(frozen=True)
class ComparisonCost:
    row_id: UUID
    upload_id: UUID
    line: int
    quarter: Quarter
    per_head_cost_pence: int
    recorded_at: datetime


def row_id(upload_id: UUID, line: int) -> UUID:
    """Stable id of one uploaded row: the upload and the line it came from."""
    return uuid5(OUTCOME_NAMESPACE, f"row|{upload_id}|{line}")


def comparison_costs_known_at(costs: Iterable[ComparisonCost], known_at: datetime) -> dict[Quarter, ComparisonCost]:
    """Per quarter, the comparison cost of the latest upload recorded by `known_at`.

    Two uploads recorded at the same moment are ordered by upload id, as the stores order them, so
    the answer never depends on the order the costs are given in."""
    latest: dict[Quarter, ComparisonCost] = {}
    known = (c for c in costs if c.recorded_at <= known_at)
    for cost in sorted(known, key=lambda c: (c.recorded_at, c.upload_id, c.line)):
        latest[cost.quarter] = cost
    return latest


def activity_known_at(rows: Iterable[ActivityRow], known_at: datetime) -> list[ActivityRow]:
    return [row for row in rows if row.recorded_at <= known_at]
