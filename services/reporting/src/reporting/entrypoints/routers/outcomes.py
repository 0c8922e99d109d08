"""GET /outcomes/payable and /outcomes/{id}/evidence: the bitemporal ledger, as JSON (in pages), CSV or
XLSX (streamed)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response

from linkwell_runtime.input_guards import UtcInstant
from linkwell_runtime.problems import responses
from linkwell_runtime.web import ServicesDep
from reporting.domain import outcome_fields
from reporting.entrypoints.dependencies import Format, LedgerReader, Uow, scoped_provider
from reporting.entrypoints.exports import TABLE_FORMATS, Sheet, line_sheets, streamed_table, table_response
from reporting.entrypoints.ledger_json import page_json
from reporting.entrypoints.schemas import EvidenceAnswer, LedgerAnswer
from reporting.service_layer import ledger, ledger_pages

router = APIRouter(prefix="/outcomes", tags=["outcomes"])

Sort = Literal["achieved_on", "-achieved_on", "amount", "-amount"]
MAX_OFFSET = 100_000_000
EVIDENCE_COLUMNS = ["id", "kind", "event_type", "case_id", "occurred_at", "recorded_at", "payload"]


@router.get(
    "/payable",
    summary="What was payable for date D as known at moment T: totals, then a page of lines",
    response_model=LedgerAnswer,
    responses={**TABLE_FORMATS, **responses(401, 403, 422)},
)
def payable_outcomes(
    request: Request,
    principal: LedgerReader,
    uow: Uow,
    services: ServicesDep,
    as_of: date | None = None,
    known_at: UtcInstant | None = None,
    payer: str | None = None,
    provider_id: UUID | None = None,
    outcome_type: Annotated[Literal["W", "S"] | None, Query(description="W or S")] = None,
    search: Annotated[
        str | None, Query(min_length=1, max_length=100, description="part of a pseudonymous patient id or a cohort")
    ] = None,
    sort: Annotated[Sort, Query(description="achieved_on or amount; `-` first: descending")] = "achieved_on",
    limit: Annotated[
        int, Query(ge=0, le=ledger_pages.MAX_LIMIT, description="lines per page (0: totals only); JSON only")
    ] = ledger_pages.DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="lines to skip; JSON only")] = 0,
    fmt: Format = "json",
) -> Response:
    """What was payable for everything that happened by `as_of` (default: today), using only what was
    recorded by `known_at` (default: now): the whole answer's totals (by payer, outcome and provider)
    and one page of its lines, narrowed by `payer`, `provider_id`, `outcome_type` and `search`. CSV and
    XLSX stream every line of the narrowed answer. A provider manager sees only their own provider's."""
    ledger.check_payer(uow, payer)
    query = ledger_pages.LinesQuery(payer, scoped_provider(principal, provider_id), outcome_type, search, sort)
    if fmt == "json":
        page = ledger_pages.payable_page(uow, as_of, known_at, query, offset, limit)
        return Response(page_json(page, _next_link(request, page)), media_type="application/json")
    as_of, known_at = as_of or uow.today, known_at or uow.now
    payers, pool, rulebooks = ledger.payers(uow.rulebooks), services.pool, uow.rulebooks

    @contextmanager
    def sheets() -> Iterator[list[Sheet]]:
        with ledger_pages.every_line(pool, rulebooks, as_of, known_at, query) as (totals, lines):
            yield line_sheets(payers, (outcome_fields(line) for line in lines), asdict(totals))

    return streamed_table(sheets, fmt, f"payable-{as_of.isoformat()}")


def _next_link(request: Request, page: ledger_pages.RenderedPage) -> str | None:
    """The same question's next page, with this answer's `as_of` and `known_at` (so every page is of
    one answer, even when `known_at` was "now"); a path and query, relative to this service."""
    if page.next_offset is None:
        return None
    url = request.url.include_query_params(
        offset=page.next_offset, as_of=page.as_of.isoformat(), known_at=page.known_at.isoformat()
    )
    return f"{url.path}?{url.query}"


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
    404 when the line is not payable at that moment (or not the provider manager's). A provider
    manager sees a cohort line's hospital-activity rows of their own patients only, and in
    `other_patients_rows` how many more the line counts."""
    found, line, items, withheld = ledger.evidence(uow, outcome_id, as_of, known_at, scoped_provider(principal, None))
    body = {
        "outcome": outcome_fields(line),
        "as_of": found.as_of.isoformat(),
        "known_at": found.known_at.isoformat(),
        "evidence": items,
        "other_patients_rows": withheld,
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
