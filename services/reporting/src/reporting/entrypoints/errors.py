"""Reporting's own refusals → problem details (the runtime answers NotFound, Forbidden, InvalidFields
and the rest): a claim that cannot close (409), a rejected CSV (422, one entry per bad row and
field, with its line), a malformed period (422) and a date before every rulebook (422)."""

from __future__ import annotations

from fastapi.responses import JSONResponse

from linkwell_runtime.http_refusals import Refusal
from linkwell_runtime.problems import field_problems, problem
from reporting.domain import ClaimConflict, CsvRejected, InvalidPeriod, NoRulebookInForce
from reporting.service_layer.claims import ReportingBehind, SourcesUnavailable


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


def _behind(exc: ReportingBehind) -> JSONResponse:
    behind = [
        {"topic": p.topic, "partition": p.partition, "applied_offset": p.applied, "end_offset": p.end}
        for p in exc.behind
    ]
    return problem(409, str(exc), headers={"Retry-After": "5"}, extensions={"behind": behind})


def _unavailable(exc: SourcesUnavailable) -> JSONResponse:
    return problem(503, str(exc), headers={"Retry-After": "5"})


REFUSALS: dict[type[Exception], Refusal] = {
    ReportingBehind: _behind,
    SourcesUnavailable: _unavailable,
    ClaimConflict: 409,
    CsvRejected: _csv_rejected,
    InvalidPeriod: lambda exc: field_problems([(["body", "period"], str(exc))]),
    NoRulebookInForce: lambda exc: field_problems([(["query", "as_of"], str(exc))]),
}
