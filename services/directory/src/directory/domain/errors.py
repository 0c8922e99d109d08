"""Domain errors and the HTTP answer each maps to (entrypoints do the mapping)."""
from __future__ import annotations


class DirectoryError(Exception):
    """Base of every refusal."""


class NotFound(DirectoryError):
    """Unknown service or organisation id (404)."""


class Conflict(DirectoryError):
    """Already published, or a status change the lifecycle forbids (409)."""


class ValidationFailed(DirectoryError):
    """Input that is well-formed but refers to things that do not exist (422), field by field."""

    def __init__(self, errors: list[dict]) -> None:
        super().__init__("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors))
        self.errors = errors

    @classmethod
    def field(cls, loc: tuple, msg: str, kind: str = "value_error") -> ValidationFailed:
        return cls([{"loc": list(loc), "msg": msg, "type": kind}])
