"""Domain errors and the HTTP status an entrypoint should give each."""

from __future__ import annotations

from dataclasses import dataclass


class ReportingError(Exception):
    """Base of every reporting domain error."""


class RulebookInvalid(ReportingError, ValueError):
    """A rulebook file breaks a rule (shares not 100%, negative price, ...). A deployment bug."""


class NoRulebookInForce(ReportingError, LookupError):
    """No rulebook version is effective on the date asked about (before the programme began)."""


class InvalidPeriod(ReportingError, ValueError):
    """422: a claim period that is not `YYYY-MM`."""


class ClaimConflict(ReportingError):
    """409: the claim cannot be closed as asked."""


class ClaimAlreadyClosed(ClaimConflict):
    """409: this month has been claimed already (claims are immutable)."""


class PeriodNotEnded(ClaimConflict):
    """409: the month is not over yet at the moment of closing."""


class ClaimOutOfOrder(ClaimConflict):
    """409: a later month has been claimed already; months are claimed in order."""


@dataclass(frozen=True)
class RowError:
    """One problem in an uploaded CSV: line 1 is the header, so the first data row is line 2."""

    line: int
    field: str
    message: str


class CsvRejected(ReportingError, ValueError):
    """422: the upload has at least one bad row; nothing of it is applied. Lists every error."""

    def __init__(self, errors: list[RowError]):
        self.errors = tuple(errors)
        super().__init__("; ".join(f"line {e.line} {e.field}: {e.message}" for e in self.errors))
