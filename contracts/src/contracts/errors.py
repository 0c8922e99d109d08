"""Errors a consumer can act on: a `ContractError` means "dead-letter this message, with this reason"."""

from __future__ import annotations


class ContractError(ValueError):
    """The bytes do not honour the event contract; `reason` says how, readably."""

    @property
    def reason(self) -> str:
        return str(self)


class UnknownVersionError(ContractError):
    """A registered event type arrived at a version this code has never seen."""


class MissingUpcasterError(ContractError):
    """The chain of upcasters for an event type has a gap."""
