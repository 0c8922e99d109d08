"""Domain and service refusals → HTTP statuses with field-level detail (ARCHITECTURE §4)."""
from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from linkwell_runtime.http_errors import answer, field_errors, install_common_errors
from referral.domain import InvalidCommand, InvalidTransition, MalformedReferral
from referral.service_layer.errors import Conflict, Invalid, NotFound


def install(app: FastAPI) -> None:
    @app.exception_handler(MalformedReferral)
    async def malformed(_: Request, exc: MalformedReferral) -> JSONResponse:
        return field_errors((p.field, p.message) for p in exc.problems)

    @app.exception_handler(Invalid)
    async def invalid(_: Request, exc: Invalid) -> JSONResponse:
        return field_errors([(exc.field, exc.message)])

    @app.exception_handler(NotFound)
    async def not_found(_: Request, exc: NotFound) -> JSONResponse:
        return answer(404, str(exc))

    install_common_errors(app)
    for kind in (InvalidTransition, InvalidCommand, Conflict):
        app.add_exception_handler(kind, _conflict)


async def _conflict(_: Request, exc: Exception) -> JSONResponse:
    return answer(409, str(exc))
