"""Input rules every API shares, so no bad input reaches PostgreSQL and comes back as a 500.

- NUL characters: PostgreSQL text and jsonb cannot hold U+0000, so a request carrying one in its
  JSON body, query or path is refused with 422 naming where, before any route runs.
- Instants: `Instant` converts an aware datetime to UTC and keeps it within years 1900–2200
  (PostgreSQL refuses offsets beyond ±15:59; year 1 breaks local-date arithmetic).
- Pages: `PageNumber` keeps OFFSET within what PostgreSQL accepts.
- Bodies: `LimitRequestBodies` refuses a body larger than its route allows (413) before it is read,
  for every caller, token or not: from `Content-Length` at once, and while a chunked body arrives.
"""

from __future__ import annotations

import contextlib
import json
import re
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import parse_qsl, unquote

from fastapi import Query
from pydantic import AfterValidator, AwareDatetime, BeforeValidator
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from linkwell_runtime.problems import problem

EARLIEST_YEAR, LATEST_YEAR = 1900, 2200
MAX_PAGE = 1_000_000
# The largest JSON body a route takes unless it says otherwise: far above any referral, case entry or
# directory document, far below what would hurt a process (an event is capped at 900,000 bytes anyway).
DEFAULT_MAX_BODY_BYTES = 1024 * 1024
MAX_BODY_BYTES = "x-max-body-bytes"  # a route's own limit: `openapi_extra={MAX_BODY_BYTES: n}`


RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})$")


def _rfc3339_text(value: Any) -> Any:
    """On the wire an instant is RFC 3339 text with its offset (pydantic alone reads `1704067200`
    as Unix time); datetimes built in code pass as they are."""
    if isinstance(value, str) and not RFC3339.match(value.strip()):
        raise ValueError("must be an RFC 3339 date-time with a UTC offset, e.g. 2024-01-01T09:30:00Z")
    if isinstance(value, int | float | bool):
        raise ValueError("must be an RFC 3339 date-time with a UTC offset, e.g. 2024-01-01T09:30:00Z")
    return value


def _utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError:  # an offset at the very ends of the calendar
        raise ValueError("is outside the calendar once converted to UTC") from None


def _in_range(value: datetime) -> datetime:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"must be between {EARLIEST_YEAR} and {LATEST_YEAR}")
    return value


# Any moment, in UTC (e.g. `known_at=9999-12-31T23:59:59Z`, "as known at the end of time").
UtcInstant = Annotated[AwareDatetime, BeforeValidator(_rfc3339_text), AfterValidator(_utc)]
# A moment something happened in the world: in UTC and within years 1900-2200.
Instant = Annotated[UtcInstant, AfterValidator(_in_range)]
PageNumber = Annotated[int, Query(ge=1, le=MAX_PAGE, description="page number, from 1")]

# Where in a request something is: ("body", "referrer", "role"), ("query", "q"), ("path",).
Loc = tuple[str | int, ...]


def nul_locations(value: Any, loc: Loc = ("body",)) -> list[Loc]:
    """Where in a parsed JSON document a string (or key) holds U+0000."""
    if isinstance(value, str):
        return [loc] if "\x00" in value else []
    if isinstance(value, dict):
        found = [(*loc, key) for key in value if "\x00" in key]
        return found + [hit for key, item in value.items() for hit in nul_locations(item, (*loc, key))]
    if isinstance(value, list):
        return [hit for i, item in enumerate(value) for hit in nul_locations(item, (*loc, i))]
    return []


class RejectNulCharacters:
    """ASGI middleware: 422 for U+0000 anywhere in the path, the query or a JSON/text body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body, more = b"", True
        messages: list[Message] = []
        while more:
            message = await receive()
            messages.append(message)
            body += message.get("body", b"")
            more = message.get("more_body", False)
        problems = _request_problems(scope, body)
        if problems:
            await _refuse(send, problems)
            return

        async def replay() -> Message:
            # the body read above, then the client's own messages: a response that listens for the
            # client going away (a file, a stream) must not be told it went at once
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


def _request_problems(scope: Scope, body: bytes) -> list[Loc]:
    problems: list[Loc] = []
    if "\x00" in unquote(scope.get("path", "")):
        problems.append(("path",))
    query = scope.get("query_string", b"").decode("latin-1")
    problems += [
        ("query", name) for name, value in parse_qsl(query, keep_blank_values=True) if "\x00" in name or "\x00" in value
    ]
    if b"\x00" in body:
        problems.append(("body",))
    elif b"\\u0000" in body:
        with contextlib.suppress(ValueError):  # not JSON: the route's own parsing answers
            problems += nul_locations(json.loads(body))
    return problems


async def _refuse(send: Send, problems: list[Loc]) -> None:
    answer = problem(
        422,
        errors=[
            {"loc": list(loc), "msg": "NUL characters (U+0000) are not allowed", "type": "value_error"}
            for loc in problems
        ],
    )
    await send({"type": "http.response.start", "status": answer.status_code, "headers": answer.raw_headers})
    await send({"type": "http.response.body", "body": answer.body})


class BodyTooLarge(StarletteHTTPException):
    """A chunked body went past its route's limit while it was being read. An HTTP exception, so that
    FastAPI, reading a JSON or form body for a route, passes it on as it is (any other exception
    there becomes its 400 "error parsing the body") and the app's handler answers 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than the {limit} bytes this route accepts")


class LimitRequestBodies:
    """ASGI middleware: 413 (problem details) for a request body larger than its route allows, before
    authentication and before any of it is read. The limit is the route's `openapi_extra`
    `x-max-body-bytes` (also shown in the OpenAPI document), else `default`. A declared
    `Content-Length` over the limit is refused at once; a body without one (chunked) is counted as it
    arrives and refused as soon as it passes the limit."""

    def __init__(self, app: ASGIApp, routes: list[BaseRoute], default: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app, self.routes, self.default = app, routes, default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _too_large(scope, receive, send, limit)
            return
        received, started = 0, False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLarge(limit)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge:
            if started:
                raise
            await _too_large(scope, receive, send, limit)

    def limit_for(self, scope: Scope) -> int:
        for route in self.routes:
            match, _ = route.matches(scope)
            if match is Match.FULL:
                extra = getattr(route, "openapi_extra", None) or {}
                return int(extra.get(MAX_BODY_BYTES, self.default))
        return self.default


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the server refuses a malformed length itself
    return None


async def _too_large(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    answer = problem(413, f"the request body is larger than the {limit} bytes this route accepts")
    answer.headers["Connection"] = "close"  # the rest of the body is not read
    await answer(scope, receive, send)
