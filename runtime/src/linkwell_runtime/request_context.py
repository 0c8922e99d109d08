"""The id of the request being handled, for log lines and for the correlation id of the events it
causes. Taken from the `X-Request-ID` header when that is a UUID, otherwise a new one, and set on
the answer's `X-Request-ID` (`RequestContextMiddleware` in `observability`)."""

from __future__ import annotations

from contextvars import ContextVar, Token
from uuid import UUID, uuid4

REQUEST_ID_HEADER = "X-Request-ID"

_request_id: ContextVar[UUID | None] = ContextVar("linkwell_request_id", default=None)


def current_request_id() -> str | None:
    found = _request_id.get()
    return None if found is None else str(found)


def current_correlation_id() -> UUID | None:
    """The request id as the correlation id of the events a request's unit of work stamps."""
    return _request_id.get()


def request_id_from(header: str | None) -> UUID:
    """The caller's request id when it is a UUID (anything else could carry free text into logs and
    events), otherwise a new one."""
    if header:
        try:
            return UUID(header.strip())
        except ValueError:
            pass
    return uuid4()


def set_request_id(request_id: UUID | None) -> Token[UUID | None]:
    """Set the id for the current context; returns a token for `reset_request_id`."""
    return _request_id.set(request_id)


def reset_request_id(token: Token[UUID | None]) -> None:
    _request_id.reset(token)
