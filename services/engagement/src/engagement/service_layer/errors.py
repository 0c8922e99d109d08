"""The refusal the service layer adds to the domain's and the runtime's (Forbidden is the runtime's)."""

from __future__ import annotations

from linkwell_runtime.refusals import NotFound


class CaseNotFound(NotFound):
    """No such case, or one the caller may not see: the same answer, so existence never leaks (404)."""

    def __init__(self) -> None:
        super().__init__("case not found")
