"""FastAPI dependencies: a transaction per request, the unit of work with the clock, idempotent writes."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from engagement.service_layer.unit_of_work import UnitOfWork
from linkwell_runtime import idempotency
from linkwell_runtime.auth import Principal


def transaction(request: Request) -> Iterator[Any]:
    with request.app.state.services.pool.transaction() as cur:
        yield cur


CursorDep = Annotated[Any, Depends(transaction, scope="function")]  # commit before answering
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]


def unit_of_work(request: Request, cur: CursorDep) -> UnitOfWork:
    services = request.app.state.services
    return UnitOfWork(cur=cur, settings=services.settings, now=services.clock(), cases=services.cases)


UowDep = Annotated[UnitOfWork, Depends(unit_of_work)]


def idempotent_write(uow: UnitOfWork, request: Request, principal: Principal, key: str | None, body: Any,
                     write: Callable[[], Any], status: int = 201) -> JSONResponse:
    """Run `write` once per (caller, key, body): the same key and body replays the first answer,
    stored in the same transaction as the write."""
    if key is None:
        return JSONResponse(jsonable_encoder(write()), status_code=status)
    fingerprint = idempotency.request_hash(request.method, request.url.path, jsonable_encoder(body))
    stored = idempotency.replay(uow.cur, principal.sub, key, fingerprint)
    if stored is not None:
        return JSONResponse(stored.body, status_code=stored.status_code)
    encoded = jsonable_encoder(write())
    idempotency.remember(uow.cur, principal.sub, key, fingerprint, idempotency.StoredAnswer(status, encoded))
    return JSONResponse(encoded, status_code=status)
