"""Commissioner data events (topic `linkwell.commissioner.v1`), published by reporting when an
upload is accepted (every row valid; a rejected upload publishes nothing).

Hospital activity arrives keyed by NHS number; reporting matches it to patients through the keyed
pseudonym the referral service publishes, so these events name patients only by `patient_id` and
never carry an NHS number. Rows for NHS numbers the platform does not know are only counted.
Aggregate type `commissioner_upload`; aggregate id = the upload id.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from contracts import topics
from contracts.events import EventPayload, register_event

QUARTER = r"^\d{4}Q[1-4]$"


class HospitalActivityType(StrEnum):
    ADMISSION = "admission"
    AE = "ae"
    OUTPATIENT = "outpatient"


class HospitalActivityRow(BaseModel):
    """One hospital episode of a known patient: the CSV line it came from, never the NHS number."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    row_id: UUID
    line: int = Field(ge=2)
    patient_id: UUID
    activity_type: HospitalActivityType
    activity_date: date
    cost_pence: int = Field(ge=0)


class ComparisonCostRow(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    row_id: UUID
    line: int = Field(ge=2)
    quarter: str = Field(pattern=QUARTER)
    per_head_cost_pence: int = Field(ge=0)


class _UploadEvent(EventPayload):
    aggregate_type: ClassVar[str] = "commissioner_upload"
    topic: ClassVar[str] = topics.COMMISSIONER

    upload_id: UUID


@register_event
class HospitalActivityUploaded(_UploadEvent):
    """An accepted hospital activity CSV: the matched rows, and how many rows matched nobody."""

    event_type: ClassVar[str] = "HospitalActivityUploaded"

    rows: tuple[HospitalActivityRow, ...]
    unmatched_rows_count: int = Field(ge=0)


@register_event
class ComparisonCostsUploaded(_UploadEvent):
    """An accepted comparison cost CSV; a later upload for a quarter supersedes an earlier one."""

    event_type: ClassVar[str] = "ComparisonCostsUploaded"

    costs: tuple[ComparisonCostRow, ...] = Field(min_length=1)


COMMISSIONER_EVENTS: tuple[type[EventPayload], ...] = (HospitalActivityUploaded, ComparisonCostsUploaded)
