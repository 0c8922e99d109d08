"""Domain and service refusals → HTTP statuses with field-level detail (ARCHITECTURE §4)."""
from __future__ import annotations

import re

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from engagement.domain import InvalidCommand, NotFound, ValidationFailed
from engagement.service_layer.errors import CaseNotFound, Forbidden
from linkwell_runtime.eventstore import ConcurrencyConflict
from linkwell_runtime.idempotency import IdempotencyKeyReused


def _loc(field: str) -> list:
    """`scores.money` -> ["body", "scores", "money"]; `star_areas[1]` -> ["body", "star_areas", 1]."""
    parts: list = ["body"]
    for piece in field.split("."):
        name, *indexes = re.split(r"\[(\d+)\]", piece)
        parts.append(name)
        parts.extend(int(i) for i in indexes if i)
    return parts


def _detail(status: int, detail) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status)


def install(app: FastAPI) -> None:
    @app.exception_handler(ValidationFailed)
    async def invalid(_: Request, exc: ValidationFailed) -> JSONResponse:
        return _detail(422, [{"loc": _loc(p.field), "msg": p.message, "type": "value_error"} for p in exc.problems])

    @app.exception_handler(IdempotencyKeyReused)
    async def key_reused(_: Request, exc: IdempotencyKeyReused) -> JSONResponse:
        return _detail(422, [{"loc": ["header", "Idempotency-Key"], "msg": str(exc), "type": "value_error"}])

    @app.exception_handler(CaseNotFound)
    async def case_not_found(_: Request, exc: CaseNotFound) -> JSONResponse:
        return _detail(404, "case not found")

    @app.exception_handler(NotFound)
    async def not_found(_: Request, exc: NotFound) -> JSONResponse:
        return _detail(404, str(exc))

    @app.exception_handler(Forbidden)
    async def forbidden(_: Request, exc: Forbidden) -> JSONResponse:
        return _detail(403, str(exc))

    for kind in (InvalidCommand, ConcurrencyConflict):
        app.add_exception_handler(kind, _conflict)


async def _conflict(_: Request, exc: Exception) -> JSONResponse:
    return _detail(409, str(exc))
