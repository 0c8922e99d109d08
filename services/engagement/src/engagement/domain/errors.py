"""Domain errors: each says which rule was broken. Entrypoints map them to HTTP statuses:
ValidationFailed 422, NotFound 404, InvalidCommand (and its kinds) 409."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class DomainError(Exception):
    """A command the domain refuses; nothing is recorded."""


@dataclass(frozen=True)
class ValidationProblem:
    """One bad input field, named as the API names it (e.g. `scores.money`)."""

    field: str
    message: str


class ValidationFailed(DomainError):
    """The input is malformed whatever the case's state (HTTP 422): every problem is listed."""

    def __init__(self, problems: Sequence[ValidationProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in self.problems))

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(p.field for p in self.problems)


class NotFound(DomainError):
    """The case has no goal, Star or linkage with that id (HTTP 404)."""


class InvalidCommand(DomainError):
    """Well-formed, but the case's state or history forbids it (HTTP 409)."""


class CaseClosed(InvalidCommand):
    """The case was discharged or ended unable-to-contact: no further work is recorded."""


class ConsentRefused(InvalidCommand):
    """New work dated after the patient declined or withdrew consent to the service (docs/domain.md §4.12)."""


class ConcernClosed(InvalidCommand):
    """A closed safeguarding concern is final: it is neither escalated nor closed again."""


class InvalidTransition(InvalidCommand):
    """A goal or linkage cannot move between these two statuses."""

    def __init__(self, what: str, from_status: StrEnum, to_status: StrEnum) -> None:
        self.from_status, self.to_status = from_status, to_status
        super().__init__(f"a {what} cannot go from {from_status.value} to {to_status.value}")


def fail_if(problems: Sequence[ValidationProblem]) -> None:
    if problems:
        raise ValidationFailed(problems)
