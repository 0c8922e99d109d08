"""Domain and service refusals → HTTP statuses with field-level detail (ARCHITECTURE §4)."""
from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from engagement.domain import InvalidCommand, NotFound, ValidationFailed
from engagement.service_layer.errors import CaseNotFound, Forbidden
from linkwell_runtime.http_errors import answer, field_errors, install_common_errors


def install(app: FastAPI) -> None:
    @app.exception_handler(ValidationFailed)
    async def invalid(_: Request, exc: ValidationFailed) -> JSONResponse:
        return field_errors((p.field, p.message) for p in exc.problems)

    @app.exception_handler(CaseNotFound)
    async def case_not_found(_: Request, exc: CaseNotFound) -> JSONResponse:
        return answer(404, "case not found")

    @app.exception_handler(NotFound)
    async def not_found(_: Request, exc: NotFound) -> JSONResponse:
        return answer(404, str(exc))

    @app.exception_handler(Forbidden)
    async def forbidden(_: Request, exc: Forbidden) -> JSONResponse:
        return answer(403, str(exc))

    install_common_errors(app)
    for kind in (InvalidCommand,):
        app.add_exception_handler(kind, _conflict)


async def _conflict(_: Request, exc: Exception) -> JSONResponse:
    return answer(409, str(exc))
