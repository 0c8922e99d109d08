"""What every case route shares: its unit of work, and the idempotent write (the caller's access
checked again before a replay, the answer checked against the model the route documents)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel

from engagement.service_layer.unit_of_work import EngagementUnitOfWork
from linkwell_runtime import problems, web
from linkwell_runtime.auth import Principal

Uow = Annotated[EngagementUnitOfWork, Depends(web.unit_of_work)]
READ_REFUSALS = problems.responses(401, 403, 404)
WRITE_REFUSALS = problems.responses(401, 403, 404, 409, 422)


def write(
    uow: EngagementUnitOfWork,
    request: Request,
    who: Principal,
    key: str | None,
    body: BaseModel,
    answer: type[BaseModel],
    access: Callable[[], None],
    handle: Callable[[], dict[str, Any]],
    status: int = 201,
) -> Response:
    def checked() -> tuple[int, dict[str, Any]]:
        out = handle()
        answer.model_validate(out)  # what the route documents is what it sends
        return status, out

    return web.idempotent_write(uow, request, who, key, body.model_dump(mode="json"), checked, access=access)
