"""Accepted uploads ⇄ their `linkwell.commissioner.v1` events, and a closed claim → `ClaimClosed`.

The events are the durable record: rebuilding rows from them (with the envelope's `recorded_at`)
gives back exactly what the ledger folded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from contracts.commissioner import (
    ComparisonCostRow,
    ComparisonCostsUploaded,
    HospitalActivityRow,
    HospitalActivityUploaded,
)
from contracts.reporting import ClaimClosed
from reporting.domain.calendar import Quarter
from reporting.domain.claim import Claim
from reporting.domain.commissioner_data import ActivityRow, ActivityType, ComparisonCost
from reporting.domain.hospital_activity_csv import ActivityUpload

# Rows per event: one event stays far below Kafka's 1 MiB message limit (a row is ~180 bytes of JSON).
ROWS_PER_EVENT = 2000


def activity_uploaded(upload: ActivityUpload) -> list[HospitalActivityUploaded]:
    """The upload as events of at most ROWS_PER_EVENT rows each, in line order (the first carries the
    count of rows that matched nobody); all are stored in one transaction, so all or none apply."""
    rows = [
        HospitalActivityRow(
            row_id=r.row_id,
            line=r.line,
            patient_id=r.patient_id,
            activity_type=r.activity_type.value,
            activity_date=r.activity_date,
            cost_pence=r.cost_pence,
        )
        for r in upload.rows
    ]
    chunks = [tuple(rows[i : i + ROWS_PER_EVENT]) for i in range(0, len(rows), ROWS_PER_EVENT)] or [()]
    return [
        HospitalActivityUploaded(
            upload_id=upload.upload_id, rows=chunk, unmatched_rows_count=len(upload.unmatched_lines) if i == 0 else 0
        )
        for i, chunk in enumerate(chunks)
    ]


def activity_rows(event: HospitalActivityUploaded, recorded_at: datetime) -> list[ActivityRow]:
    return [
        ActivityRow(
            r.row_id,
            event.upload_id,
            r.line,
            r.patient_id,
            ActivityType(r.activity_type.value),
            r.activity_date,
            r.cost_pence,
            recorded_at,
        )
        for r in event.rows
    ]


def costs_uploaded(upload_id: UUID, costs: Sequence[ComparisonCost]) -> ComparisonCostsUploaded:
    rows = tuple(
        ComparisonCostRow(
            row_id=c.row_id, line=c.line, quarter=str(c.quarter), per_head_cost_pence=c.per_head_cost_pence
        )
        for c in costs
    )
    return ComparisonCostsUploaded(upload_id=upload_id, costs=rows)


def comparison_costs(event: ComparisonCostsUploaded, recorded_at: datetime) -> list[ComparisonCost]:
    return [
        ComparisonCost(c.row_id, event.upload_id, c.line, Quarter.parse(c.quarter), c.per_head_cost_pence, recorded_at)
        for c in event.costs
    ]


def claim_closed(claim: Claim, document: bytes) -> ClaimClosed:
    return ClaimClosed(
        period=claim.period,
        closed_at=claim.closed_at,
        rulebook_ids=tuple(sorted({line.outcome.rulebook for line in claim.lines})),
        lines_count=len(claim.outcomes),
        adjustments_count=len(claim.adjustments),
        total_pence=claim.total,
        totals_by_payer=claim.totals_by_payer,
        totals_by_provider=claim.totals_by_provider,
        document_sha256=hashlib.sha256(document).hexdigest(),
    )
