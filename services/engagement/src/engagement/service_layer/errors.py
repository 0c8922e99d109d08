"""Refusals the service layer adds to the domain's (entrypoints map them to HTTP statuses)."""
from __future__ import annotations


class CaseNotFound(Exception):
    """No such case, or one the caller may not see: the same answer, so existence never leaks (404)."""


class Forbidden(Exception):
    """The caller's role may never do this, whatever the case (403)."""
