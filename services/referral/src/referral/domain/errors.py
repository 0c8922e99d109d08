"""Domain errors: each says which rule was broken. Entrypoints map them to HTTP statuses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from contracts.referral import ReferralStatus


class DomainError(Exception):
    """A command the domain refuses; nothing is recorded."""


@dataclass(frozen=True)
class ValidationProblem:
    """One malformed field of a referral, named as the API names it (e.g. `referrer.role`)."""

    field: str
    message: str


class MalformedReferral(DomainError):
    """The referral cannot be accepted at all (HTTP 422): every field problem is listed."""

    def __init__(self, problems: Sequence[ValidationProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in self.problems))


class InvalidTransition(DomainError):
    """The lifecycle forbids this move from the referral's current status (HTTP 409)."""

    def __init__(self, from_status: ReferralStatus | None, to_status: ReferralStatus) -> None:
        self.from_status = from_status
        self.to_status = to_status
        start = from_status.value if from_status else "nothing"
        super().__init__(f"a referral cannot go from {start} to {to_status.value}")


class InvalidCommand(DomainError):
    """The command is well-formed but contradicts the referral's history (e.g. dated too early)."""
