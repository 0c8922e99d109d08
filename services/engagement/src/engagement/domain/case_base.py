"""What every case command starts from: the guards, and the ids every event carries."""

from __future__ import annotations

from datetime import date
from typing import Any

from engagement.domain.case_fold import CaseFold
from engagement.domain.consent import service_refused_on
from engagement.domain.errors import CaseClosed, ConsentRefused, InvalidCommand, ValidationProblem
from engagement.domain.inputs import business_day_problems


class CaseBase(CaseFold):
    def _stamp(self) -> dict[str, Any]:
        """The case, patient, provider and link worker: on every event, as they are now."""
        if self.case_id is None:
            raise InvalidCommand("there is no case: it opens when its referral is allocated")
        return {
            "case_id": self.case_id,
            "patient_id": self.patient_id,
            "provider_id": self.provider_id,
            "link_worker_id": self.link_worker_id,
        }

    def _ensure_open(self) -> None:
        """Discharged or unable-to-contact cases are closed to further work."""
        self._stamp()
        if self.is_closed:
            raise CaseClosed(f"the case is {self.status.value}: no further work can be recorded")

    def _ensure_contacted(self, what: str) -> None:
        self._ensure_open()
        if self.contacted_on is None:
            raise InvalidCommand(f"{what} needs a session: record an attended contact first")

    def _ensure_consented(self, on: date, what: str) -> None:
        """New work needs consent to the service on its day (docs/domain.md §4.12)."""
        refused = service_refused_on(self, on)
        if refused is not None:
            raise ConsentRefused(
                f"consent to the service was {refused.state.value} on {refused.on}: {what} on that day cannot be"
                " recorded unless consent is given again (or discharge the case)"
            )

    def _not_before(self, on: date, earliest: date | None, what: str) -> None:
        if earliest is not None and on < earliest:
            raise InvalidCommand(f"the date is before {what} ({earliest})")

    def _not_before_opening(self, on: date) -> None:
        self._not_before(on, self.opened_on, "the case opened")

    def _date_problems(
        self, field: str, on: date, today: date, *floors: tuple[date | None, str]
    ) -> list[ValidationProblem]:
        """A business date given by the client: not after `today`, not before the programme's start
        nor the case's opening, nor before any of `floors` ((earliest, what it is)). At most one
        problem, named `field`."""
        problems = business_day_problems(field, on, today)
        if problems:
            return problems
        for earliest, what in ((self.opened_on, "the case opened"), *floors):
            if earliest is not None and on < earliest:
                return [ValidationProblem(field, f"is before {what} ({earliest})")]
        return []
