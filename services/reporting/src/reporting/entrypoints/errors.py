"""Reporting's own refusals → problem details (the runtime answers NotFound, Forbidden, InvalidFields
and the rest): a claim that cannot close (409), a rejected CSV (422, one entry per bad row and
field, with its line), a malformed period (422) and a date before every rulebook (422)."""

from __future__ import annotations

from fastapi.responses import JSONResponse

from linkwell_runtime.http_refusals import Refusal
from linkwell_runtime.problems import field_problems, problem
from reporting.domain import ClaimConflict, CsvRejected, InvalidPeriod, NoRulebookInForce


def _csv_rejected(exc: CsvRejected) -> JSONResponse:
    return problem(
        422,
        f"{len(exc.errors)} problem(s) in the upload; nothing of it was applied",
        errors=[
            {
                "loc": ["body", "line", e.line, e.field],
                "line": e.line,
                "field": e.field,
                "msg": e.message,
                "type": "csv_row",
            }
            for e in exc.errors
        ],
    )


REFUSALS: dict[type[Exception], Refusal] = {
    ClaimConflict: 409,
    CsvRejected: _csv_rejected,
    InvalidPeriod: lambda exc: field_problems([(["body", "period"], str(exc))]),
    NoRulebookInForce: lambda exc: field_problems([(["query", "as_of"], str(exc))]),
}
