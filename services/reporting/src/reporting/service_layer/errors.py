"""Service-level refusals (the domain's own errors are in reporting.domain.errors)."""
from __future__ import annotations


class NotFound(Exception):
    """404: unknown id, or one outside the caller's scope (answered the same way)."""


class Forbidden(Exception):
    """403: the caller's role or scope does not allow this."""


class BadRequest(Exception):
    """422 with field-level detail: (loc, message) pairs."""

    def __init__(self, problems: list[tuple[list, str]]):
        self.problems = problems
        super().__init__("; ".join(m for _, m in problems))
