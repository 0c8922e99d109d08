"""Small facts a case keeps about its contacts, failed attempts and extensions."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID


@dataclass(frozen=True)
class ContactRecord:
    contact_id: UUID
    occurred_at: datetime
    on: date  # Europe/London date of occurred_at
    attended: bool


@dataclass(frozen=True)
class FailedAttempt:
    """A failed attempt to reach the patient, or a did-not-attend (same weight, see README)."""

    attempt_id: UUID  # the attempt id, or the contact id of a DNA
    on: date


@dataclass(frozen=True)
class Extension:
    extended_on: date
    review_on: date
