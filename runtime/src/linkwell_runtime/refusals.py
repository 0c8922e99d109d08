"""Refusals a service layer raises; the runtime answers each with its HTTP status (problems.py).

A domain keeps its own error types (it imports nothing of the runtime); each service maps them to
statuses once, in its `entrypoints/errors.py`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# A field-level problem: where (`["body", "referrer", "role"]`) and what is wrong with it.
FieldProblem = tuple[Sequence[str | int], str]


class NotFound(Exception):
    """No such thing, or one the caller may not see: the same answer, so existence never leaks (404)."""


class Forbidden(Exception):
    """The caller's role or scope may never do this (403)."""


class Conflict(Exception):
    """The request contradicts what is stored (409)."""


class InvalidFields(Exception):
    """Fields are wrong in a way only the service can tell (422, one entry per field)."""

    def __init__(self, problems: Sequence[FieldProblem]) -> None:
        self.problems = [(list(loc), message) for loc, message in problems]
        super().__init__("; ".join(message for _, message in self.problems))


class Invalid(InvalidFields):
    """One body field is wrong: `Invalid("referrer.role", "unknown role")`."""

    def __init__(self, field: str, message: str) -> None:
        self.field, self.message = field, message
        super().__init__([(field_loc(field), message)])


def field_loc(field: str, root: str = "body") -> list[str | int]:
    """`referrer.role` -> ["body", "referrer", "role"]; `conditions[1]` -> ["body", "conditions", 1]."""
    parts: list[str | int] = [root]
    for piece in field.split("."):
        name, *indexes = re.split(r"\[(\d+)\]", piece)
        parts.append(name)
        parts.extend(int(i) for i in indexes if i)
    return parts
