"""FastAPI dependencies: a transaction per request, the unit of work, idempotent writes."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from linkwell_runtime import idempotency
from linkwell_runtime.auth import Principal
from referral.service_layer.unit_of_work import UnitOfWork


def transaction(request: Request) -> Iterator[Any]:
    with request.app.state.services.pool.transaction() as cur:
        yield cur


CursorDep = Annotated[Any, Depends(transaction, scope="function")]  # commit before answering
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]


def unit_of_work(request: Request, cur: CursorDep) -> UnitOfWork:
    return UnitOfWork(cur=cur, settings=request.app.state.settings)


UowDep = Annotated[UnitOfWork, Depends(unit_of_work)]


def idempotent_write(uow: UnitOfWork, request: Request, principal: Principal, key: str | None, body: Any,
                     write: Callable[[], tuple[int, Any]]) -> JSONResponse:
    """Run `write` once per (caller, key, body); the same key and body replays the first answer,
    stored in the same transaction as the write."""
    if key is None:
        status, answer = write()
        return JSONResponse(jsonable_encoder(answer), status_code=status)
    fingerprint = idempotency.request_hash(request.method, request.url.path, jsonable_encoder(body))
    stored = idempotency.replay(uow.cur, principal.sub, key, fingerprint)
    if stored is not None:
        return JSONResponse(stored.body, status_code=stored.status_code)
    status, answer = write()
    encoded = jsonable_encoder(answer)
    idempotency.remember(uow.cur, principal.sub, key, fingerprint, idempotency.StoredAnswer(status, encoded))
    return JSONResponse(encoded, status_code=status)
