"""Reporting routes: thin (parse → service layer → answer). Finance endpoints answer JSON, CSV or XLSX."""
from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from linkwell_runtime.auth import Principal, Role, require_roles
from linkwell_runtime.input_guards import UtcInstant
from reporting.adapters import fact_store
from reporting.bootstrap import Services
from reporting.domain import Ledger, filtered, outcome_fields
from reporting.entrypoints.dependencies import idempotent_write, moment, scoped_provider, services
from reporting.entrypoints.exports import table_response
from reporting.service_layer import claims, commissioner, metrics
from reporting.service_layer.errors import BadRequest, NotFound
from reporting.service_layer.ledger import ledger_at

router = APIRouter()

Format = Annotated[Literal["json", "csv", "xlsx"], Query(alias="format")]
Svc = Annotated[Services, Depends(services)]
LedgerReader = Annotated[Principal, Depends(require_roles(Role.FINANCE, Role.PROVIDER_MANAGER))]
FinanceOnly = Annotated[Principal, Depends(require_roles(Role.FINANCE))]
Uploader = Annotated[Principal, Depends(require_roles(Role.FINANCE, Role.OPERATOR, Role.SERVICE))]
MetricsReader = Annotated[Principal, Depends(require_roles(Role.FINANCE, Role.OPERATOR, Role.PROVIDER_MANAGER))]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]

LINE_COLUMNS_HEAD = ("outcome_id", "outcome_type", "patient_id", "cohort", "measured_quarter", "achieved_on", "amount")
LINE_COLUMNS_TAIL = ("provider_id", "link_worker_id", "rulebook", "evidence")


def _payers(svc: Services) -> list[str]:
    """Every payer of every rulebook version, in rulebook order: the stable share columns."""
    return list(dict.fromkeys(p.payer for book in svc.rulebooks for p in book.payer_shares))


def _line_columns(svc: Services, extra: tuple[str, ...] = ()) -> list[str]:
    return [*extra, *LINE_COLUMNS_HEAD, *(f"payer_share_{p}" for p in _payers(svc)), *LINE_COLUMNS_TAIL]


def _line_row(svc: Services, line: dict, extra: tuple[str, ...] = ()) -> list:
    shares = line["payer_shares"]
    return [*(line[c] for c in extra), *(line[c] for c in LINE_COLUMNS_HEAD),
            *(shares.get(p, 0) for p in _payers(svc)), *(line[c] for c in LINE_COLUMNS_TAIL)]


def _totals_sheets(totals: dict) -> list:
    return [("totals_by_payer", ["payer", "amount"], list(totals["by_payer"].items())),
            ("totals_by_provider", ["provider_id", "amount"], list(totals["by_provider"].items())),
            ("total", ["amount"], [[totals["amount"]]])]


def _ledger_body(ledger: Ledger) -> dict:
    return {"as_of": ledger.as_of.isoformat(), "known_at": ledger.known_at.isoformat(),
            "lines": [outcome_fields(line) for line in ledger.lines],
            "totals": {"amount": ledger.total, "by_payer": ledger.totals_by_payer,
                       "by_provider": ledger.totals_by_provider}}


def _json_bytes(value) -> bytes:
    """What JSONResponse renders (starlette's settings)."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")).encode("utf-8")


def _ledger_json(svc: Services, ledger: Ledger, payer: str | None, provider_id: str | None) -> Response:
    """The JSON ledger, byte for byte what `JSONResponse(_ledger_body(filtered(ledger, ...)))` renders.
    The lines and totals part depends only on the lines (and the filter), so it is rendered once per
    cached lines object; only `as_of` and `known_at` are rendered per request."""
    view = (payer, provider_id)
    tail = svc.ledger_cache.rendered(ledger.lines, view)
    if tail is None:
        body = _ledger_body(filtered(ledger, payer=payer, provider_id=provider_id))
        tail = b',"lines":' + _json_bytes(body["lines"]) + b',"totals":' + _json_bytes(body["totals"]) + b"}"
        svc.ledger_cache.remember_rendered(ledger.lines, view, tail)
    head = (b'{"as_of":' + _json_bytes(ledger.as_of.isoformat()) + b',"known_at":'
            + _json_bytes(ledger.known_at.isoformat()))
    return Response(head + tail, media_type="application/json")


@router.get("/outcomes/payable", tags=["outcomes"])
def payable_outcomes(principal: LedgerReader, svc: Svc, as_of: date | None = None, known_at: UtcInstant | None = None,
                     payer: str | None = None, provider_id: UUID | None = None, fmt: Format = "json") -> Response:
    """What was payable for everything that happened by `as_of`, using only what was recorded by `known_at`."""
    if payer is not None and payer not in _payers(svc):
        raise BadRequest([(["query", "payer"], f"unknown payer; one of {', '.join(_payers(svc))}")])
    provider = scoped_provider(principal, provider_id)
    as_of, known_at = moment(svc, as_of, known_at)
    with svc.pool.transaction() as cur:
        ledger = ledger_at(cur, svc.rulebooks, as_of=as_of, known_at=known_at, cache=svc.ledger_cache)
    if fmt == "json":
        return _ledger_json(svc, ledger, payer, str(provider) if provider else None)
    ledger = filtered(ledger, payer=payer, provider_id=str(provider) if provider else None)
    body = _ledger_body(ledger)
    sheets = [("lines", _line_columns(svc), [_line_row(svc, line) for line in body["lines"]]),
              *_totals_sheets(body["totals"])]
    return table_response(body, sheets, fmt, f"payable-{as_of.isoformat()}")


@router.get("/outcomes/{outcome_id}/evidence", tags=["outcomes"])
def outcome_evidence(outcome_id: UUID, principal: LedgerReader, svc: Svc, as_of: date | None = None,
                     known_at: UtcInstant | None = None, fmt: Format = "json") -> Response:
    """The events (and commissioner rows) that make a payable line payable, as known at `known_at`."""
    provider = scoped_provider(principal, None)
    as_of, known_at = moment(svc, as_of, known_at)
    with svc.pool.transaction() as cur:
        ledger = ledger_at(cur, svc.rulebooks, as_of=as_of, known_at=known_at, cache=svc.ledger_cache)
        line = ledger.by_id().get(str(outcome_id))
        if line is None or (provider is not None and line.provider_id != provider):
            raise NotFound("outcome not payable at that moment")
        items = fact_store.evidence(cur, line.evidence)
    body = {"outcome": outcome_fields(line), "as_of": as_of.isoformat(), "known_at": known_at.isoformat(),
            "evidence": items}
    columns = ["id", "kind", "event_type", "case_id", "occurred_at", "recorded_at", "payload"]
    rows = [[i.get("id"), i.get("kind"), i.get("event_type"), i.get("case_id"), i.get("occurred_at"),
             i.get("recorded_at"), json.dumps(i.get("payload"), sort_keys=True)] for i in items]
    return table_response(body, [("evidence", columns, rows)], fmt, f"evidence-{outcome_id}")


class ClaimRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    period: str = Field(description="the month to close, YYYY-MM")


def _claim_answer(document: bytes, status: int) -> Response:
    return Response(document, status_code=status, media_type="application/json")


@router.post("/claims", status_code=201, tags=["claims"])
def close_claim(body: ClaimRequest, principal: FinanceOnly, svc: Svc, idempotency_key: IdempotencyKey = None) -> Response:
    """Freeze a month: the claim's document is stored and served byte for byte ever after.
    The same Idempotency-Key replays the first answer; a closed month otherwise answers 409."""

    def write(cur):
        claims.close(cur, svc.settings, svc.rulebooks, body.period, now=svc.now())
        return 201, {"period": body.period}

    def replay(cur, stored):
        if stored.status_code != 201:
            return stored.status_code, stored.body
        return 201, {"period": stored.body["period"]}

    status, answer = idempotent_write(svc, principal, idempotency_key, "POST", "/claims", body.model_dump(), write, replay)
    with svc.pool.transaction() as cur:
        document = fact_store.claim_document(cur, answer["period"])
    return _claim_answer(document, status)


@router.get("/claims/{period}", tags=["claims"])
def get_claim(period: str, principal: FinanceOnly, svc: Svc, fmt: Format = "json") -> Response:
    """The claim exactly as closed (the stored bytes for JSON); CSV/XLSX: lines then adjustments."""
    with svc.pool.transaction() as cur:
        document = fact_store.claim_document(cur, period)
    if document is None:
        raise NotFound("no claim closed for that period")
    if fmt == "json":
        return _claim_answer(document, 200)
    doc = json.loads(document)
    extra = ("kind",)
    lines = [_line_row(svc, line, extra) for line in [*doc["lines"], *doc["adjustments"]]]
    sheets = [("lines", _line_columns(svc, extra), lines), *_totals_sheets(doc["totals"])]
    return table_response(doc, sheets, fmt, f"claim-{period}")


CSV_TYPES = ("text/csv", "text/plain", "application/csv")
MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # a quarter's activity for the whole programme is a few MB


async def _csv_text(request: Request) -> str:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in CSV_TYPES:
        raise BadRequest([(["header", "Content-Type"], f"send the CSV as {CSV_TYPES[0]}")])
    raw = await request.body()
    if len(raw) > MAX_UPLOAD_BYTES:
        raise BadRequest([(["body"], f"larger than {MAX_UPLOAD_BYTES} bytes: split the upload by period")])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest([(["body"], "the CSV must be UTF-8 text")]) from None


def _upload(svc: Services, principal: Principal, key: str | None, path: str, text: str, action) -> JSONResponse:
    def write(cur):
        return 201, action(cur, svc.settings, text, now=svc.now())

    status, answer = idempotent_write(svc, principal, key, "POST", path, text, write, lambda cur, s: (s.status_code, s.body))
    return JSONResponse(answer, status_code=status)


_CSV_BODY = {"requestBody": {"required": True, "content": {"text/csv": {"schema": {"type": "string"}}}}}


@router.post("/commissioner/hospital-activity", status_code=201, tags=["commissioner"], openapi_extra=_CSV_BODY)
async def upload_hospital_activity(request: Request, principal: Uploader, svc: Svc,
                                   idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """CSV `nhs_number, activity_type, activity_date, cost_pence`: every row valid or nothing applied (422
    lists each bad row's line). Rows for NHS numbers nobody was referred with are counted, not applied."""
    text = await _csv_text(request)
    return _upload(svc, principal, idempotency_key, "/commissioner/hospital-activity", text,
                   commissioner.upload_hospital_activity)


@router.post("/commissioner/comparison-costs", status_code=201, tags=["commissioner"], openapi_extra=_CSV_BODY)
async def upload_comparison_costs(request: Request, principal: Uploader, svc: Svc,
                                  idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """CSV `quarter, per_head_cost_pence`; a later upload for a quarter supersedes earlier ones."""
    text = await _csv_text(request)
    return _upload(svc, principal, idempotency_key, "/commissioner/comparison-costs", text,
                   commissioner.upload_comparison_costs)


def _metric(name: str, rows: list[dict], fmt: str) -> Response:
    columns = list(rows[0]) if rows else []
    flat = [[row[c] for c in columns] for row in rows]
    return table_response({"items": rows}, [(name, columns, flat)], fmt, name)


@router.get("/metrics/funnel", tags=["metrics"])
def funnel(principal: MetricsReader, svc: Svc, provider_id: UUID | None = None, fmt: Format = "json") -> Response:
    """Per practice, provider and month: referrals reaching each stage (discharges by reason)."""
    with svc.pool.transaction() as cur:
        return _metric("funnel", metrics.funnel(cur, scoped_provider(principal, provider_id)), fmt)


@router.get("/metrics/caseload", tags=["metrics"])
def caseload(principal: MetricsReader, svc: Svc, provider_id: UUID | None = None, fmt: Format = "json") -> Response:
    with svc.pool.transaction() as cur:
        return _metric("caseload", metrics.caseload(cur, scoped_provider(principal, provider_id)), fmt)


@router.get("/metrics/wellbeing", tags=["metrics"])
def wellbeing(principal: MetricsReader, svc: Svc, provider_id: UUID | None = None, fmt: Format = "json") -> Response:
    """Star baselines and reviews per provider: change from baseline to latest review per area and in total."""
    with svc.pool.transaction() as cur:
        return _metric("wellbeing", metrics.wellbeing(cur, scoped_provider(principal, provider_id)), fmt)


@router.get("/metrics/linkages", tags=["metrics"])
def linkages(principal: MetricsReader, svc: Svc, provider_id: UUID | None = None, fmt: Format = "json") -> Response:
    """Linkages per provider, category and status."""
    with svc.pool.transaction() as cur:
        return _metric("linkages", metrics.linkages(cur, scoped_provider(principal, provider_id)), fmt)


