"""Recording, correcting and voiding Well-being Stars (docs/domain.md §4, §6).

A Star is taken in a session, so the case must have had an attended contact and the Star cannot be
dated before it. Two standing Stars on one date are refused (correct the first instead). A Star
dated before the current baseline is allowed and becomes the baseline, as docs/domain.md §4.5 says.
Corrections and voids are allowed after the case closed: they fix records, they are not new work.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from uuid import UUID

from contracts.engagement import (
    CaseEngaged,
    StarScores,
    WellbeingStarCorrected,
    WellbeingStarRecorded,
    WellbeingStarVoided,
)
from contracts.events import EventPayload
from engagement.domain.case_base import CaseBase
from engagement.domain.errors import InvalidCommand, NotFound, ValidationProblem, fail_if
from engagement.domain.inputs import business_day_problems, text_problems
from engagement.domain.records import StarRecord
from engagement.domain.scores import score_problems, validate_scores
from engagement.domain.stars import kind_if_taken_on

Scores = Mapping[str, object] | StarScores


class StarCommands(CaseBase):
    def record_star(self, star_id: UUID, *, taken_on: date, scores: Scores, today: date) -> list[EventPayload]:
        self._ensure_contacted("a Well-being Star")
        fail_if(_problems(scores) + business_day_problems("taken_on", taken_on, today))
        self._not_before(taken_on, self.contacted_on, "the first attended contact")
        self._ensure_consented(taken_on, "a Star")
        if self.star(star_id) is not None:
            raise InvalidCommand("the Star is already recorded")
        if any(s.taken_on == taken_on and not s.is_voided for s in self.stars):
            raise InvalidCommand("a Star taken on that day is already recorded: correct it instead")
        valid = validate_scores(scores)
        recorded = WellbeingStarRecorded(
            **self._stamp(),
            star_id=star_id,
            scores=valid,
            total=valid.total,
            kind=kind_if_taken_on(self, taken_on),
            taken_on=taken_on,
        )
        if self.engaged_on is not None:
            return [recorded]
        return [recorded, CaseEngaged(**self._stamp(), baseline_star_id=star_id, engaged_on=taken_on)]

    def correct_star(
        self, star_id: UUID, *, scores: Scores, reason: str, today: date, on: date | None = None
    ) -> list[EventPayload]:
        """New scores from `on` (default today; reported as `corrected_on`: not in the future, not
        before the Star was taken or last corrected); the reason stays in the service, unpublished."""
        star = self._standing_star(star_id)
        on = today if on is None else on
        fail_if(
            _problems(scores)
            + text_problems("reason", reason, required=True)
            + self._date_problems("corrected_on", on, today, *_star_floors(star))
        )
        valid = validate_scores(scores)
        if valid == star.current_scores:
            raise InvalidCommand(f"Star {star_id} already has these scores: nothing to correct")
        return [
            WellbeingStarCorrected(
                **self._stamp(),
                star_id=star_id,
                scores=valid,
                total=valid.total,
                corrected_on=on,
            )
        ]

    def void_star(self, star_id: UUID, *, reason: str, today: date, on: date | None = None) -> list[EventPayload]:
        """The Star stops counting from `on` (default today; reported as `voided_on`: not in the
        future, not before the Star was taken or last corrected)."""
        star = self._standing_star(star_id)
        on = today if on is None else on
        fail_if(
            text_problems("reason", reason, required=True)
            + self._date_problems("voided_on", on, today, *_star_floors(star))
        )
        return [WellbeingStarVoided(**self._stamp(), star_id=star_id, voided_on=on)]

    def _standing_star(self, star_id: UUID) -> StarRecord:
        self._stamp()
        star = self.star(star_id)
        if star is None:
            raise NotFound("the case has no such Star")
        if star.is_voided:
            raise InvalidCommand(f"Star {star_id} was voided on {star.voided_on}")
        return star


def _star_floors(star: StarRecord) -> list[tuple[date | None, str]]:
    floors: list[tuple[date | None, str]] = [(star.taken_on, "the Star was taken")]
    if star.corrections:
        floors.append((star.corrections[-1].corrected_on, "the Star's last correction"))
    return floors


def _problems(scores: Scores) -> list[ValidationProblem]:
    return [] if isinstance(scores, StarScores) else score_problems(scores)
