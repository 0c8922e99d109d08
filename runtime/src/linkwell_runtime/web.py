"""FastAPI dependencies every service's routes use: its `Services`, a transaction per request, the
unit of work, the `Idempotency-Key` header, and the idempotent write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, Any

import psycopg2.extensions
from fastapi import Depends, Header, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response

from linkwell_runtime import idempotency
from linkwell_runtime.auth import Principal
from linkwell_runtime.service import Services
from linkwell_runtime.unit_of_work import UnitOfWork


def services(request: Request) -> Services:
    found: Services = request.app.state.services  # Starlette's app.state holds anything (Any)
    return found


def transaction(request: Request) -> Iterator[psycopg2.extensions.cursor]:
    with services(request).pool.transaction() as cur:
        yield cur


ServicesDep = Annotated[Services, Depends(services)]
CursorDep = Annotated[psycopg2.extensions.cursor, Depends(transaction, scope="function")]  # commit before answering
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=200,
        description="Retry-safe writes: the same key and body replay the first answer",
    ),
]


def unit_of_work(request: Request, cur: CursorDep) -> UnitOfWork:
    return services(request).unit_of_work(cur)


UowDep = Annotated[UnitOfWork, Depends(unit_of_work)]


def json_answer(status: int, body: Any) -> Response:
    return JSONResponse(body, status_code=status)


def idempotent_write(
    uow: UnitOfWork,
    request: Request,
    principal: Principal,
    key: str | None,
    body: Any,
    write: Callable[[], tuple[int, Any]],
    *,
    access: Callable[[], object] | None,
    respond: Callable[[int, Any], Response] = json_answer,
) -> Response:
    """Run `write() -> (status, answer)` once per (caller, key, route and body), in the unit of work's
    transaction: the same key and body replay the first answer, stored with the write, so a retry
    after a crash finds either the answer or nothing written. The same key with another body or on
    another route is refused (422). `access` checks that the caller may still act on the object
    (run before a replay as before a first write: a stored answer never outlives the caller's access;
    None where the route's role is the whole rule). `respond` renders an answer (JSON by default)."""
    if access is not None:
        access()
    if key is None:
        status, answer = write()
        return respond(status, jsonable_encoder(answer))
    fingerprint = idempotency.request_hash(
        request.method, request.url.path, jsonable_encoder(body), principal.model_dump(mode="json", exclude={"sub"})
    )
    stored = idempotency.replay(uow.cur, principal.sub, key, fingerprint)
    if stored is not None:
        return respond(stored.status_code, stored.body)
    status, answer = write()
    encoded = jsonable_encoder(answer)
    idempotency.remember(uow.cur, principal.sub, key, fingerprint, idempotency.StoredAnswer(status, encoded))
    return respond(status, encoded)
