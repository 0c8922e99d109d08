"""Domain and service refusals → HTTP answers with field-level detail (ARCHITECTURE §4)."""
from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from linkwell_runtime.http_errors import answer, install_common_errors
from reporting.domain import ClaimConflict, CsvRejected, InvalidPeriod, NoRulebookInForce
from reporting.service_layer.errors import BadRequest, Forbidden, NotFound


def install(app: FastAPI) -> None:
    @app.exception_handler(CsvRejected)
    async def csv_rejected(_: Request, exc: CsvRejected) -> JSONResponse:
        return answer(422, [{"loc": ["body", "line", e.line, e.field], "line": e.line, "field": e.field,
                             "msg": e.message, "type": "csv_row"} for e in exc.errors])

    @app.exception_handler(InvalidPeriod)
    async def invalid_period(_: Request, exc: InvalidPeriod) -> JSONResponse:
        return answer(422, [{"loc": ["body", "period"], "msg": str(exc), "type": "value_error"}])

    @app.exception_handler(NoRulebookInForce)
    async def no_rulebook(_: Request, exc: NoRulebookInForce) -> JSONResponse:
        return answer(422, [{"loc": ["query", "as_of"], "msg": str(exc), "type": "value_error"}])

    @app.exception_handler(BadRequest)
    async def bad_request(_: Request, exc: BadRequest) -> JSONResponse:
        return answer(422, [{"loc": loc, "msg": msg, "type": "value_error"} for loc, msg in exc.problems])

    @app.exception_handler(ClaimConflict)
    async def claim_conflict(_: Request, exc: ClaimConflict) -> JSONResponse:
        return answer(409, str(exc))

    @app.exception_handler(NotFound)
    async def not_found(_: Request, exc: NotFound) -> JSONResponse:
        return answer(404, str(exc))

    @app.exception_handler(Forbidden)
    async def forbidden(_: Request, exc: Forbidden) -> JSONResponse:
        return answer(403, str(exc))

    install_common_errors(app)
