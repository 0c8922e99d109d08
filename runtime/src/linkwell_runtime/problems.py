"""Every refusal as one problem-details body (RFC 9457, `application/problem+json`), in every service.

`{"type", "title", "status", "detail"}`, and for 422 an `errors` list with one entry per field,
`{"loc": [...], "msg": ..., "type": ...}` (FastAPI's own shape), so a client reads a domain refusal
exactly like a request-validation error. `http_refusals` decides which refusal gets which answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from linkwell_runtime.refusals import FieldProblem, field_loc

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "urn:linkwell:problem:"  # `type` names the kind of problem; docs/architecture.md §4 lists them

# The kind of problem per status: a client may branch on `type` without parsing `detail`.
_KINDS = {
    400: "bad-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "too-large",
    415: "unsupported-media-type",
    422: "invalid-fields",
    503: "unavailable",
}


class FieldError(BaseModel):
    """One wrong field: where it is (`["body", "referrer", "role"]`), what is wrong, and the kind."""

    model_config = ConfigDict(extra="allow")  # e.g. CSV uploads add `line` and `field`

    loc: list[str | int]
    msg: str
    type: str


class Problem(BaseModel):
    """An RFC 9457 problem: the answer to every refused request."""

    type: str = Field(examples=[f"{TYPE_BASE}not-found"])
    title: str = Field(examples=["Not Found"])
    status: int = Field(examples=[404])
    detail: str | None = Field(default=None, examples=["case not found"])
    errors: list[FieldError] | None = Field(default=None, description="422 only: one entry per wrong field")


def problem(
    status: int,
    detail: str | None = None,
    *,
    errors: Iterable[dict[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
    extensions: Mapping[str, Any] | None = None,
) -> JSONResponse:
    """The problem-details answer for `status` (`extensions`: RFC 9457 extension members)."""
    body: dict[str, Any] = {
        "type": TYPE_BASE + _KINDS.get(status, str(status)),
        "title": _title(status),
        "status": status,
    }
    listed = None if errors is None else list(errors)
    if detail is None and listed is not None:
        detail = f"{len(listed)} field{'s' if len(listed) != 1 else ''} not valid"
    if detail is not None:
        body["detail"] = detail
    if listed is not None:
        body["errors"] = listed
    body |= dict(extensions or {})
    return JSONResponse(body, status_code=status, headers=dict(headers or {}), media_type=MEDIA_TYPE)


def field_problems(problems: Iterable[FieldProblem], status: int = 422) -> JSONResponse:
    """One entry per (loc, message), every problem at once."""
    return problem(status, errors=[{"loc": list(loc), "msg": msg, "type": "value_error"} for loc, msg in problems])


def body_field_problems(problems: Iterable[tuple[str, str]]) -> JSONResponse:
    """(`referrer.role`, message) pairs of body fields: one entry each."""
    return field_problems((field_loc(field), msg) for field, msg in problems)


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` for a route that may refuse with these statuses (problem details)."""
    return {s: {"model": Problem, "description": _title(s), "content": {MEDIA_TYPE: {}}} for s in statuses}


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
