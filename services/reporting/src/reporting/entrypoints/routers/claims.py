"""POST /claims closes a month; GET /claims/{period} serves it exactly as closed; GET /claims lists
the closed ones; GET /claims/{period}/preview answers what POST /claims would store now."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request, Response

from linkwell_runtime import web
from linkwell_runtime.problems import responses
from reporting.entrypoints.dependencies import FinanceOnly, Format, Uow
from reporting.entrypoints.exports import TABLE_FORMATS, line_sheets, table_response
from reporting.entrypoints.schemas import ClaimDocument, ClaimRequest, ClaimSummary, Items
from reporting.service_layer import claims
from reporting.service_layer.ledger import payers

router = APIRouter(prefix="/claims", tags=["claims"])


@router.post(
    "",
    status_code=201,
    summary="Close a month's claim",
    response_model=ClaimDocument,
    responses=responses(401, 403, 409, 422, 503),
)
def close_claim(
    body: ClaimRequest, request: Request, principal: FinanceOnly, uow: Uow, idempotency_key: web.IdempotencyKey = None
) -> Response:
    """Freeze a month: the claim's document is stored and served byte for byte ever after.
    The same Idempotency-Key replays the first answer; a closed month otherwise answers 409, and so
    does a month not yet ended (Europe/London), one before a month already claimed, and any month while
    reporting has not applied every event already on its topics (`behind` says where; Retry-After).
    The claim keeps the positions it was built on (`GET /claims`), so the ledger asked at its closing
    moment gives its lines. 503 when Kafka does not answer (whether reporting is behind is unknown)."""

    def write() -> tuple[int, dict[str, Any]]:
        claims.close(uow, body.period)
        return 201, {"period": body.period}

    def respond(status: int, answer: Any) -> Response:
        return _document(claims.document(uow, answer["period"]), status)

    return web.idempotent_write(
        uow, request, principal, idempotency_key, body.model_dump(), write, access=None, respond=respond
    )


@router.get(
    "",
    summary="The closed claims, newest first",
    response_model=Items[ClaimSummary],
    responses=responses(401, 403),
)
def list_claims(principal: FinanceOnly, uow: Uow) -> dict[str, Any]:
    """Each closed claim's period, closing moment, totals and numbers of lines and adjustments."""
    return {"items": claims.closed(uow)}


@router.get(
    "/{period}/preview",
    summary="What closing a month now would store (a dry run)",
    response_model=ClaimDocument,
    responses=responses(401, 403, 409, 422, 503),
)
def preview_claim(period: str, principal: FinanceOnly, uow: Uow) -> Response:
    """Exactly the document `POST /claims` would store for `period` at this moment (lines, adjustments
    and clawbacks against earlier claims, totals; `closed_at` = now), built by the same code; nothing
    is stored or published. 409 where closing would be refused (closed, not ended, out of order)."""
    return _document(claims.preview(uow, period), 200)


@router.get(
    "/{period}",
    summary="A closed claim, exactly as closed",
    response_model=ClaimDocument,
    responses={**TABLE_FORMATS, **responses(401, 403, 404, 422)},
)
def get_claim(period: str, principal: FinanceOnly, uow: Uow, fmt: Format = "json") -> Response:
    """The claim exactly as closed (the stored bytes for JSON); CSV/XLSX: lines then adjustments."""
    document = claims.document(uow, period)
    if fmt == "json":
        return _document(document, 200)
    doc = json.loads(document)
    sheets = line_sheets(payers(uow.rulebooks), [*doc["lines"], *doc["adjustments"]], doc["totals"], extra=("kind",))
    return table_response(doc, sheets, fmt, f"claim-{period}")


def _document(document: bytes, status: int) -> Response:
    return Response(document, status_code=status, media_type="application/json")
