"""GET /outcomes/payable and /outcomes/{id}/evidence: the bitemporal ledger, as JSON, CSV or XLSX."""

from __future__ import annotations

import json
from datetime import date
from uuid import UUID

from fastapi import APIRouter, Response

from linkwell_runtime.input_guards import UtcInstant
from linkwell_runtime.problems import responses
from reporting.domain import filtered, outcome_fields
from reporting.entrypoints.dependencies import Format, LedgerReader, Uow, scoped_provider
from reporting.entrypoints.exports import TABLE_FORMATS, line_sheets, table_response
from reporting.entrypoints.ledger_json import ledger_body, ledger_json
from reporting.entrypoints.schemas import EvidenceAnswer, LedgerAnswer
from reporting.service_layer import ledger

router = APIRouter(prefix="/outcomes", tags=["outcomes"])

EVIDENCE_COLUMNS = ["id", "kind", "event_type", "case_id", "occurred_at", "recorded_at", "payload"]


@router.get(
    "/payable",
    summary="What was payable for date D as known at moment T",
    response_model=LedgerAnswer,
    responses={**TABLE_FORMATS, **responses(401, 403, 422)},
)
def payable_outcomes(
    principal: LedgerReader,
    uow: Uow,
    as_of: date | None = None,
    known_at: UtcInstant | None = None,
    payer: str | None = None,
    provider_id: UUID | None = None,
    fmt: Format = "json",
) -> Response:
    """What was payable for everything that happened by `as_of` (default: today), using only what was
    recorded by `known_at` (default: now). A provider manager sees only their own provider's lines."""
    ledger.check_payer(uow, payer)
    provider = scoped_provider(principal, provider_id)
    provider_key = str(provider) if provider else None
    found = ledger.payable_at(uow, as_of, known_at)
    if fmt == "json":
        return ledger_json(uow.ledger_cache, found, payer, provider_key)
    body = ledger_body(filtered(found, payer=payer, provider_id=provider_key))
    return table_response(
        body,
        line_sheets(ledger.payers(uow.rulebooks), body["lines"], body["totals"]),
        fmt,
        f"payable-{found.as_of.isoformat()}",
    )


@router.get(
    "/{outcome_id}/evidence",
    summary="The events and rows that make a line payable",
    response_model=EvidenceAnswer,
    responses={**TABLE_FORMATS, **responses(401, 403, 404, 422)},
)
def outcome_evidence(
    outcome_id: UUID,
    principal: LedgerReader,
    uow: Uow,
    as_of: date | None = None,
    known_at: UtcInstant | None = None,
    fmt: Format = "json",
) -> Response:
    """The events (and commissioner rows) that make a payable line payable, as known at `known_at`;
    404 when the line is not payable at that moment (or not the provider manager's)."""
    found, line, items = ledger.evidence(uow, outcome_id, as_of, known_at, scoped_provider(principal, None))
    body = {
        "outcome": outcome_fields(line),
        "as_of": found.as_of.isoformat(),
        "known_at": found.known_at.isoformat(),
        "evidence": items,
    }
    rows = [
        [
            i.get("id"),
            i.get("kind"),
            i.get("event_type"),
            i.get("case_id"),
            i.get("occurred_at"),
            i.get("recorded_at"),
            json.dumps(i.get("payload"), sort_keys=True),
        ]
        for i in items
    ]
    return table_response(body, [("evidence", EVIDENCE_COLUMNS, rows)], fmt, f"evidence-{outcome_id}")
