"""The directory's refusals; `entrypoints/errors.py` maps each to its HTTP answer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# One wrong field, FastAPI's shape: {"loc": ["body", "organization_id"], "msg": "...", "type": "..."}
FieldError = dict[str, Any]


class DirectoryError(Exception):
    """Base of every refusal."""


class NotFound(DirectoryError):
    """Unknown service or organisation id (404)."""


class Conflict(DirectoryError):
    """Already published, or a status change the lifecycle forbids (409)."""


class ValidationFailed(DirectoryError):
    """Input that is well-formed but refers to things that do not exist (422), field by field."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors))
        self.errors = errors

    @classmethod
    def field(cls, loc: Sequence[str | int], msg: str, kind: str = "value_error") -> ValidationFailed:
        return cls([{"loc": list(loc), "msg": msg, "type": kind}])


class NotAllowed(DirectoryError):
    """The caller may not change this organisation's records (403)."""
