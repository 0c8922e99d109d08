"""Which refusal gets which problem-details answer: the runtime's, FastAPI's and Starlette's, and a
service's own domain errors through the table it passes (its `entrypoints/errors.py`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import psycopg2
import psycopg2.errors
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from linkwell_runtime.eventstore import ConcurrencyConflict, EventTooLarge
from linkwell_runtime.idempotency import IdempotencyKeyReused
from linkwell_runtime.input_guards import RejectNulCharacters
from linkwell_runtime.problems import field_problems, problem
from linkwell_runtime.refusals import Conflict, Forbidden, InvalidFields, NotFound

# A service's own refusal: a status (detail = str(exc)) or a function of the exception.
Refusal = int | Callable[[Any], JSONResponse]


def install_problem_handlers(app: FastAPI, refusals: Mapping[type[Exception], Refusal] | None = None) -> None:
    """The refusals every service shares, then the service's own (`refusals`): malformed requests
    (without echoing the input back: it may be huge, hold non-finite numbers that JSON cannot carry,
    or hold personal data), NUL characters, a reused Idempotency-Key, an event too large to publish,
    a lost race on a write, a database that is not there."""
    app.add_middleware(RejectNulCharacters)
    table: dict[type[Exception], Refusal] = {
        NotFound: 404,
        Forbidden: 403,
        Conflict: 409,
        InvalidFields: lambda exc: field_problems(exc.problems),
        EventTooLarge: 413,
        IdempotencyKeyReused: lambda exc: problem(
            422, errors=[{"loc": ["header", "Idempotency-Key"], "msg": str(exc), "type": "value_error"}]
        ),
        ConcurrencyConflict: lambda exc: problem(409, f"a concurrent change got there first; retry: {exc}"),
        # A concurrent first use of the same Idempotency-Key (or id) was stored first.
        psycopg2.errors.UniqueViolation: lambda _: problem(
            409, "a concurrent request with the same key or id was stored first; retry"
        ),
        # The database is down or overloaded: say so and when to retry, never a bare 500.
        psycopg2.OperationalError: lambda _: problem(
            503, "the database is unavailable; retry shortly", headers={"Retry-After": "1"}
        ),
        RequestValidationError: lambda exc: problem(
            422,
            errors=[
                {
                    "loc": list(e.get("loc", ())),
                    "msg": str(e.get("msg", ""))[:500],
                    "type": str(e.get("type", "value_error")),
                }
                for e in exc.errors()
            ],
        ),
        StarletteHTTPException: _http_exception,
    }
    table.update(refusals or {})
    for kind, refusal in table.items():
        app.add_exception_handler(kind, _handler(refusal))


def _handler(refusal: Refusal) -> Callable[[Request, Any], Awaitable[JSONResponse]]:
    async def handle(_: Request, exc: Any) -> JSONResponse:
        return problem(refusal, str(exc)) if isinstance(refusal, int) else refusal(exc)

    return handle


def _http_exception(exc: StarletteHTTPException) -> JSONResponse:
    if isinstance(exc.detail, list):
        return problem(exc.status_code, errors=exc.detail, headers=exc.headers)
    return problem(exc.status_code, None if exc.detail is None else str(exc.detail), headers=exc.headers)
