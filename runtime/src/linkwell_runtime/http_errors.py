"""Refusals → HTTP answers with field-level detail (ARCHITECTURE §4), shared by every API.

422 bodies use FastAPI's own shape, `{"detail": [{"loc": [...], "msg": ..., "type": ...}]}`, so a
client reads a domain refusal exactly like a request-validation error.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

import psycopg2.errors
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from linkwell_runtime.eventstore import ConcurrencyConflict, EventTooLarge
from linkwell_runtime.idempotency import IdempotencyKeyReused
from linkwell_runtime.input_guards import RejectNulCharacters


def field_loc(field: str, root: str = "body") -> list:
    """`referrer.role` -> ["body", "referrer", "role"]; `conditions[1]` -> ["body", "conditions", 1]."""
    parts: list = [root]
    for piece in field.split("."):
        name, *indexes = re.split(r"\[(\d+)\]", piece)
        parts.append(name)
        parts.extend(int(i) for i in indexes if i)
    return parts


def answer(status: int, detail) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status)


def field_errors(problems: Iterable[tuple[str, str]], status: int = 422) -> JSONResponse:
    """One entry per (field, message), every problem at once."""
    return answer(status, [{"loc": field_loc(f), "msg": m, "type": "value_error"} for f, m in problems])


def install_common_errors(app: FastAPI) -> None:
    """The refusals every service shares: malformed requests (without echoing the input back: it
    may be huge, hold non-finite numbers that JSON cannot carry, or hold personal data), NUL
    characters, a reused Idempotency-Key, an event too large to publish, a lost race on a write."""
    app.add_middleware(RejectNulCharacters)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        return answer(422, [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))[:500],
                             "type": str(e.get("type", "value_error"))} for e in exc.errors()])

    @app.exception_handler(psycopg2.OperationalError)
    async def database_unavailable(_: Request, exc: Exception) -> JSONResponse:
        """The database is down or overloaded: say so and when to retry, never a bare 500."""
        return JSONResponse({"detail": "the database is unavailable; retry shortly"}, status_code=503,
                            headers={"Retry-After": "1"})

    @app.exception_handler(EventTooLarge)
    async def too_large(_: Request, exc: EventTooLarge) -> JSONResponse:
        return answer(413, str(exc))

    @app.exception_handler(IdempotencyKeyReused)
    async def key_reused(_: Request, exc: IdempotencyKeyReused) -> JSONResponse:
        return answer(422, [{"loc": ["header", "Idempotency-Key"], "msg": str(exc), "type": "value_error"}])

    @app.exception_handler(ConcurrencyConflict)
    async def conflict(_: Request, exc: ConcurrencyConflict) -> JSONResponse:
        return answer(409, f"a concurrent change got there first; retry: {exc}")

    @app.exception_handler(psycopg2.errors.UniqueViolation)
    async def lost_race(_: Request, __: Exception) -> JSONResponse:
        """A concurrent first use of the same Idempotency-Key (or id) was stored first."""
        return answer(409, "a concurrent request with the same key or id was stored first; retry")
