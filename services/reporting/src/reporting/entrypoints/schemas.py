"""Request and answer bodies of the reporting API, as documented in its OpenAPI.

The answers are rendered elsewhere (canonical claim documents, ledger pages, CSV/XLSX tables),
so these models describe those bytes exactly: the same keys, null where a value may be null.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Generic, Literal, TypeVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class ClaimRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    period: str = Field(description="the month to close, YYYY-MM", examples=["2025-06"])


class Totals(BaseModel):
    amount: int = Field(description="pence")
    by_payer: dict[str, int] = Field(description="pence per payer code")
    by_provider: dict[str, int] = Field(description='pence per provider id ("programme": no provider)')


class OutcomeLine(BaseModel):
    """One payable outcome: W (a patient's well-being gain) or S (a cohort's saving, per provider)."""

    outcome_id: UUID = Field(description="stable across recomputations and moments")
    outcome_type: Literal["W", "S"]
    patient_id: UUID | None = Field(description="W only")
    cohort: str | None = Field(description="S only: the baseline quarter, e.g. 2019Q2")
    measured_quarter: str | None = Field(description="S only: the quarter measured")
    achieved_on: date
    amount: int = Field(description="pence")
    payer_shares: dict[str, int] = Field(description="pence per payer code; adds up to amount")
    provider_id: UUID | None
    link_worker_id: UUID | None = Field(description="W only")
    evidence: list[UUID] = Field(description="ids of the events and commissioner rows behind the line")
    rulebook: str = Field(examples=["w2w-2015@1"])


class LedgerException(BaseModel):
    """A fact the ledger met that no rulebook covers (dated before the programme's start): it is
    left out of the outcomes and listed here, so it can be corrected at its source."""

    kind: Literal["no_rulebook_in_force"]
    fact_id: UUID = Field(description="the event that recorded it")
    case_id: str
    patient_id: UUID | None
    provider_id: UUID | None
    field: str = Field(examples=["taken_on"])
    on: date
    reason: str


class AnswerTotals(Totals):
    """Over the whole answer (every page), as narrowed by the query's filters."""

    by_outcome: dict[str, int] = Field(description="pence per outcome type (W, S)")


class PageOfLines(BaseModel):
    offset: int = Field(description="lines of the answer before this page")
    limit: int = Field(description="the page size asked for (at most 1000)")
    total_lines: int = Field(description="lines in the whole answer, as narrowed")
    next: str | None = Field(
        description="the next page (same question, `as_of` and `known_at` pinned to this answer's); null on the last"
    )


class LedgerAnswer(BaseModel):
    """What was payable for everything that happened by `as_of`, as known at `known_at`: the whole
    answer's totals, then one page of its lines."""

    as_of: date
    known_at: datetime
    lines: list[OutcomeLine] = Field(
        description="this page, in the `sort` order (ties: achieved date, type, outcome id)"
    )
    totals: AnswerTotals
    page: PageOfLines
    exceptions: list[LedgerException] | None = Field(
        default=None, description="facts no rulebook covers, by date; present only when there are some"
    )


class EvidenceItem(BaseModel):
    """An event (`kind` "event") or a commissioner row behind a payable line. Events carry
    `schema_version`, `case_id` and `occurred_at`; rows carry the `event_id` that brought them."""

    id: UUID
    kind: Literal["event", "hospital_activity_row", "comparison_cost_row"]
    event_type: str
    schema_version: int | None = None
    case_id: str | None = None
    occurred_at: datetime | None = None
    event_id: UUID | None = None
    recorded_at: datetime
    payload: dict[str, Any] = Field(description="the event's payload (sealed personal fields left out)")


class EvidenceAnswer(BaseModel):
    outcome: OutcomeLine
    as_of: date
    known_at: datetime
    evidence: list[EvidenceItem] = Field(description="in the order of the line's `evidence` ids")
    other_patients_rows: int = Field(
        0,
        description="hospital-activity rows of other providers' patients that a provider manager's cohort (S) line"
        " also counts, withheld from them (always 0 for finance)",
    )


class ClaimLine(OutcomeLine):
    """A line of a claim: the outcome as claimed, and what this line claims (negative: a clawback)."""

    kind: Literal["outcome", "late_outcome", "clawback", "amount_change", "reattributed"]


class ClaimDocument(BaseModel):
    """A closed month: canonical JSON (sorted keys, no spaces), served byte for byte as stored."""

    period: str = Field(examples=["2025-06"])
    closed_at: datetime
    lines: list[ClaimLine] = Field(description="outcomes achieved in the month, not claimed before")
    adjustments: list[ClaimLine] = Field(description="late outcomes, clawbacks, amount changes, reattributions")
    totals: Totals


class SourcePosition(BaseModel):
    """How far reporting had applied one source topic partition when a claim closed."""

    topic: str
    partition: int
    applied_offset: int = Field(description="the next offset to apply: every event before it was in the claim's ledger")


class ClaimSummary(BaseModel):
    """A closed claim in brief (its document: `GET /claims/{period}`)."""

    period: str = Field(examples=["2025-06"])
    closed_at: datetime
    totals: Totals
    lines_count: int = Field(description="outcomes achieved in the month")
    adjustments_count: int = Field(description="late outcomes, clawbacks, amount changes, reattributions")
    source_positions: list[SourcePosition] = Field(
        description="where reporting stood on each source partition at closing (empty for claims closed before"
        " positions were kept); closing waits until none is behind Kafka"
    )


class UploadSummary(BaseModel):
    """An accepted commissioner upload: what it did, never its rows (no patient identifiers)."""

    upload_id: UUID
    kind: Literal["hospital_activity", "comparison_costs"]
    recorded_at: datetime
    rows_applied: int
    rows_unknown_nhs_number: int = Field(description="valid rows for NHS numbers nobody was referred with")
    rows_already_uploaded: int = Field(description="rows applied already from an earlier upload")
    quarters: list[str] | None = Field(description="comparison costs: the quarters costed; null otherwise")


class HospitalActivityAccepted(BaseModel):
    upload_id: UUID
    event_id: UUID = Field(description="the first of the upload's events")
    event_ids: list[UUID] = Field(description="one event per 2,000 rows, in line order")
    rows_applied: int
    rows_unknown_nhs_number: int = Field(description="valid rows for NHS numbers nobody was referred with")
    unknown_nhs_number_lines: list[int]
    rows_already_uploaded: int = Field(description="rows applied already from an earlier upload: not again")
    already_uploaded_lines: list[int]


class ComparisonCostsAccepted(BaseModel):
    upload_id: UUID
    event_id: UUID
    rows_applied: int
    quarters: list[str] = Field(examples=[["2025Q1"]])


class Items(BaseModel, Generic[T]):
    """A dashboard's rows."""

    items: list[T]


class FunnelRow(BaseModel):
    """Referrals of one practice and provider reaching each stage in one month."""

    month: str = Field(examples=["2025-01"])
    practice_ods_code: str | None
    provider_id: UUID | None
    received: int
    eligible: int
    ineligible: int
    allocated: int
    contacted: int
    engaged: int
    declined: int
    unable_to_contact: int
    discharged: int
    withdrawn: int = 0  # withdrawn as made in error (issue 18)
    discharged_by_reason: dict[str, int]


class FirstContactRow(BaseModel):
    """Days from allocation to the first contact or attempt: a provider's row (`link_worker_id` null),
    then one per link worker allocated (median: mean of the middle two; 90th percentile: nearest rank)."""

    provider_id: UUID
    link_worker_id: UUID | None
    contacted: int
    awaiting: int
    median_days: float | None
    p90_days: int | None


class CaseloadRow(BaseModel):
    provider_id: UUID
    link_worker_id: UUID
    open_cases: int
    cases_held: int


class WellbeingRow(BaseModel):
    """Change from baseline to the latest review, per Star area and in total."""

    provider_id: UUID
    baselines: int
    reviewed: int
    total_change_sum: int
    area_change_sum: dict[str, int]
    total_change_mean: float | None = Field(description="null when no case was reviewed")
    area_change_mean: dict[str, float | None]


class LinkageRow(BaseModel):
    provider_id: UUID
    category: str
    status: str
    count: int
