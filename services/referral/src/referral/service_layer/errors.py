"""Service-level refusals that are not the domain's (entrypoints map them to HTTP statuses)."""
from __future__ import annotations


class NotFound(Exception):
    """No such thing, or not one the caller may see (HTTP 404)."""


class Conflict(Exception):
    """The request contradicts what is stored (HTTP 409)."""


class Invalid(Exception):
    """A field is wrong in a way only the service can tell (HTTP 422)."""

    def __init__(self, field: str, message: str) -> None:
        self.field, self.message = field, message
        super().__init__(f"{field}: {message}")
