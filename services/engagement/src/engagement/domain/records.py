"""Small facts a case keeps about its contacts, failed attempts, extensions and Stars: the pieces of its
state, which the fold (`case_evolve`) builds and the queries (`stars`, `time_limit`) read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from contracts.engagement import StarKind, StarScores


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


@dataclass(frozen=True)
class StarCorrection:
    scores: StarScores
    corrected_on: date


@dataclass(frozen=True)
class StarRecord:
    """A Star as recorded, with its corrections and void kept beside the original."""

    star_id: UUID
    taken_on: date
    scores: StarScores  # as first recorded
    recorded_kind: StarKind
    corrections: tuple[StarCorrection, ...] = ()
    voided_on: date | None = None

    @property
    def current_scores(self) -> StarScores:
        return self.corrections[-1].scores if self.corrections else self.scores

    @property
    def is_voided(self) -> bool:
        return self.voided_on is not None
