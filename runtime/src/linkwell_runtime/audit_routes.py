"""The auditor's reads of a service's access audit (docs/security.md §4): `GET /audit` (a page, as JSON)
and `GET /audit.csv` (every row that matches, streamed), filtered by time, patient, subject and action.
Only the `auditor` role may call them (403 for every other role). Each service with an `access_audit`
table includes `router` once (referral, engagement).

Reading the audit is not itself written to `access_audit`: a row there records an opening of one
patient's identifiable data or free text, and the audit holds neither (ids, roles, field names and
times). Each read is logged instead, with the auditor's `sub`, which filters it used and the request id.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import AwareDatetime, BaseModel

from linkwell_runtime import web
from linkwell_runtime.auth import Principal, Role, require_roles
from linkwell_runtime.input_guards import PageNumber
from linkwell_runtime.problems import responses

log = logging.getLogger(__name__)

COLUMNS = ("id", "at", "subject", "role", "action", "patient_id", "referral_id", "fields", "request_id")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run these as formulas (OWASP)
CSV_ROWS_PER_FETCH = 2000

Auditor = Annotated[Principal, Depends(require_roles(Role.AUDITOR))]
REFUSALS = responses(401, 403, 422)  # 422 named here: the filters are a dependency's query parameters


class AuditRow(BaseModel):
    """One `access_audit` row (linkwell_runtime.audit): who, in which role, did what, to which patient, when."""

    id: int
    at: datetime
    subject: str
    role: str
    action: str
    patient_id: UUID
    referral_id: UUID | None  # the referral, or the case (whose id is the referral's)
    fields: list[str]
    request_id: UUID | None


class AuditPage(BaseModel):
    items: list[AuditRow]
    page: int
    page_size: int
    total: int  # every row that matches the filters


router = APIRouter(tags=["audit"])


@dataclass(frozen=True)
class AuditFilter:
    """What the auditor asked for: `at` in [since, until), and exact patient, subject and action."""

    since: AwareDatetime | None = None
    until: AwareDatetime | None = None
    patient_id: UUID | None = None
    subject: str | None = None
    action: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        clauses, params = [], []
        for clause, value in (
            ("at >= %s", self.since),
            ("at < %s", self.until),
            ("patient_id = %s", self.patient_id),
            ("subject = %s", self.subject),
            ("action = %s", self.action),
        ):
            if value is not None:
                clauses.append(clause)
                params.append(value)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    def described(self) -> str:
        """For the log line: which filters were given, not their values (a `subject` is free text)."""
        return ", ".join(k for k, v in vars(self).items() if v is not None) or "none"


def audit_filter(
    since: Annotated[
        AwareDatetime | None, Query(alias="from", description="rows at or after (with its offset)")
    ] = None,
    until: Annotated[AwareDatetime | None, Query(alias="to", description="rows before (with its offset)")] = None,
    patient_id: UUID | None = None,
    subject: Annotated[str | None, Query(max_length=300, description="who read (the token's sub)")] = None,
    action: Annotated[str | None, Query(max_length=100, description="e.g. read_identifiable")] = None,
) -> AuditFilter:
    return AuditFilter(since, until, patient_id, subject, action)


FilterDep = Annotated[AuditFilter, Depends(audit_filter)]
_SELECT = f"SELECT {', '.join(COLUMNS)} FROM access_audit"


@router.get(
    "/audit", response_model=AuditPage, responses=REFUSALS, summary="The access audit, a page at a time (auditor)"
)
def audit_page(
    auditor: Auditor,
    wanted: FilterDep,
    cur: web.CursorDep,
    page: PageNumber = 1,
    page_size: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    """Audit rows in the order they were written (oldest first), filtered; `total` counts every match."""
    log.info("audit read by %s (page %d; filters: %s)", auditor.sub, page, wanted.described())
    where, params = wanted.where()
    cur.execute(f"SELECT count(*) FROM access_audit{where}", params)
    counted = cur.fetchone()
    total = counted[0] if counted else 0
    cur.execute(f"{_SELECT}{where} ORDER BY id LIMIT %s OFFSET %s", [*params, page_size, (page - 1) * page_size])
    items = [_json_row(row) for row in cur.fetchall()]
    return {"items": items, "page": page, "page_size": page_size, "total": total}


@router.get(
    "/audit.csv",
    response_class=StreamingResponse,
    responses=REFUSALS | {200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "every row"}},
    summary="The access audit as CSV, every matching row (auditor)",
)
def audit_csv(auditor: Auditor, wanted: FilterDep, request: Request) -> StreamingResponse:
    """Every matching row, oldest first, read in one transaction as it is sent; text a spreadsheet
    would execute (a `sub` starting with `=`) is neutralised with a leading `'`."""
    log.info("audit export by %s (filters: %s)", auditor.sub, wanted.described())
    pool = web.services(request).pool
    where, params = wanted.where()

    def lines() -> Iterator[str]:
        yield _csv_line(COLUMNS)
        with pool.transaction() as cur, cur.connection.cursor(name="audit_export") as rows:
            rows.itersize = CSV_ROWS_PER_FETCH
            rows.execute(f"{_SELECT}{where} ORDER BY id", params)
            for row in rows:
                yield _csv_line([_csv_cell(value) for value in row])

    return StreamingResponse(
        lines(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="access-audit.csv"'},
    )


def _json_row(row: Sequence[Any]) -> dict[str, Any]:
    return dict(zip(COLUMNS, row, strict=True))


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    elif hasattr(value, "isoformat"):
        return str(value.isoformat())
    return neutralised(str(value))


def neutralised(text: str) -> str:
    """Text a spreadsheet would execute as a formula, made plain text with a leading `'`."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_line(cells: Sequence[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(cells)
    return out.getvalue()
