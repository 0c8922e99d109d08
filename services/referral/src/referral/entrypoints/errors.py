"""Domain and service refusals → HTTP statuses with field-level detail (ARCHITECTURE §4)."""
from __future__ import annotations

import re

import psycopg2.errors
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from linkwell_runtime.eventstore import ConcurrencyConflict
from linkwell_runtime.idempotency import IdempotencyKeyReused
from referral.domain import InvalidCommand, InvalidTransition, MalformedReferral
from referral.service_layer.errors import Conflict, Invalid, NotFound


def _loc(field: str) -> list:
    """`referrer.role` -> ["body", "referrer", "role"]; `conditions[1]` -> ["body", "conditions", 1]."""
    parts: list = ["body"]
    for piece in field.split("."):
        name, *indexes = re.split(r"\[(\d+)\]", piece)
        parts.append(name)
        parts.extend(int(i) for i in indexes if i)
    return parts


def _detail(status: int, detail) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status)


def install(app: FastAPI) -> None:
    @app.exception_handler(MalformedReferral)
    async def malformed(_: Request, exc: MalformedReferral) -> JSONResponse:
        return _detail(422, [{"loc": _loc(p.field), "msg": p.message, "type": "value_error"} for p in exc.problems])

    @app.exception_handler(Invalid)
    async def invalid(_: Request, exc: Invalid) -> JSONResponse:
        return _detail(422, [{"loc": _loc(exc.field), "msg": exc.message, "type": "value_error"}])

    @app.exception_handler(IdempotencyKeyReused)
    async def key_reused(_: Request, exc: IdempotencyKeyReused) -> JSONResponse:
        return _detail(422, [{"loc": ["header", "Idempotency-Key"], "msg": str(exc), "type": "value_error"}])

    @app.exception_handler(NotFound)
    async def not_found(_: Request, exc: NotFound) -> JSONResponse:
        return _detail(404, str(exc))

    @app.exception_handler(psycopg2.errors.UniqueViolation)
    async def lost_race(_: Request, __: Exception) -> JSONResponse:
        """A concurrent first use of the same Idempotency-Key (or registration) got there first."""
        return _detail(409, "a concurrent request with the same key or id was stored first; retry")

    for kind in (InvalidTransition, InvalidCommand, Conflict, ConcurrencyConflict):
        app.add_exception_handler(kind, _conflict)


async def _conflict(_: Request, exc: Exception) -> JSONResponse:
    return _detail(409, str(exc))
