"""Contacts and failed attempts; the first attended contact, and unable-to-contact (docs/domain.md §3-4).

A did-not-attend counts as a failed attempt: no successful contact happened. Three or more failed
attempts whose dates span at least 28 days, with no attended contact ever, end the case.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from uuid import UUID

from contracts.calendar import local_date, start_of_day_utc
from contracts.engagement import (
    CaseContacted,
    ContactAttemptFailed,
    ContactMode,
    ContactRecorded,
    ContactVenue,
    UnableToContact,
)
from contracts.events import EventPayload
from contracts.programme import BEFORE_PROGRAMME_START, PROGRAMME_START, before_programme
from engagement.domain.case_base import CaseBase
from engagement.domain.errors import InvalidCommand, ValidationProblem, fail_if
from engagement.domain.inputs import aware_problems, is_int, member_problem, text_problems

ATTEMPTS_NEEDED = 3
ATTEMPT_WINDOW_DAYS = 28
MAX_DURATION_MINUTES = 600


def unable_to_contact_window(attempt_days: Iterable[date]) -> tuple[date, date] | None:
    """First and last attempt dates when the attempts end the case, else None."""
    days = sorted(attempt_days)
    if len(days) >= ATTEMPTS_NEEDED and (days[-1] - days[0]).days >= ATTEMPT_WINDOW_DAYS:
        return days[0], days[-1]
    return None


class ContactCommands(CaseBase):
    def record_contact(
        self,
        contact_id: UUID,
        *,
        occurred_at: datetime,
        mode: ContactMode | str,
        duration_minutes: int,
        attended: bool,
        now: datetime,
        venue: ContactVenue | str | None = None,
    ) -> list[EventPayload]:
        self._ensure_open()
        fail_if(_contact_problems(occurred_at, mode, duration_minutes, venue, attended, now))
        on = self._checked_day(contact_id, occurred_at)
        self._ensure_consented(on, "a contact")
        recorded = ContactRecorded(
            **self._stamp(),
            contact_id=contact_id,
            occurred_at=occurred_at,
            mode=ContactMode(mode),
            duration_minutes=duration_minutes,
            venue=None if venue is None else ContactVenue(venue),
            attended=attended,
        )
        if attended and self.contacted_on is None:
            return [recorded, CaseContacted(**self._stamp(), contact_id=contact_id, contacted_on=on)]
        return [recorded] if attended else self._with_unable_to_contact([recorded])

    def record_failed_attempt(
        self, attempt_id: UUID, *, occurred_at: datetime, now: datetime, note: str | None = None
    ) -> list[EventPayload]:
        """A failed attempt to reach the patient; the note stays in the service, unpublished."""
        self._ensure_open()
        when = aware_problems("occurred_at", occurred_at) or _when_problems("occurred_at", occurred_at, now)
        fail_if(when + text_problems("note", note, required=False))
        self._ensure_consented(self._checked_day(attempt_id, occurred_at), "an attempt to reach the patient")
        failed = ContactAttemptFailed(**self._stamp(), attempt_id=attempt_id, occurred_at=occurred_at)
        return self._with_unable_to_contact([failed])

    def _checked_day(self, event_id: UUID, occurred_at: datetime) -> date:
        known = {c.contact_id for c in self.contacts} | {a.attempt_id for a in self.failed_attempts}
        if event_id in known:
            raise InvalidCommand("the contact or attempt is already recorded")
        on = local_date(occurred_at)
        self._not_before_opening(on)
        return on

    def _with_unable_to_contact(self, events: list[EventPayload]) -> list[EventPayload]:
        after = self.apply_all(events)
        window = None if after.contacted_on else unable_to_contact_window(a.on for a in after.failed_attempts)
        if window is None:
            return events
        first, last = window
        return [
            *events,
            UnableToContact(
                **self._stamp(),
                on=last,
                attempts_count=len(after.failed_attempts),
                first_attempt_on=first,
                last_attempt_on=last,
            ),
        ]


def _contact_problems(
    occurred_at: datetime,
    mode: ContactMode | str,
    duration: int,
    venue: ContactVenue | str | None,
    attended: bool,
    now: datetime,
) -> list[ValidationProblem]:
    problems = aware_problems("occurred_at", occurred_at) or _when_problems("occurred_at", occurred_at, now)
    problems += member_problem("mode", ContactMode, mode)
    if not is_int(duration) or not 0 <= duration <= MAX_DURATION_MINUTES:
        problems.append(ValidationProblem("duration_minutes", f"must be a whole number 0-{MAX_DURATION_MINUTES}"))
    elif attended is True and duration < 1:
        problems.append(
            ValidationProblem(
                "duration_minutes", "an attended contact lasts at least 1 minute (0 is only for a did-not-attend)"
            )
        )
    if venue is not None:
        problems += member_problem("venue", ContactVenue, venue)
    if not isinstance(attended, bool):
        problems.append(ValidationProblem("attended", "must be true or false"))
    return problems


def _when_problems(field: str, instant: datetime, now: datetime) -> list[ValidationProblem]:
    """Not in the future, and not on a day (Europe/London) before the programme's start."""
    if instant > now:
        return [ValidationProblem(field, "is in the future")]
    # a day's margin first, so an instant at the calendar's very start never reaches the time zone
    if instant < start_of_day_utc(PROGRAMME_START) - timedelta(days=1) or before_programme(local_date(instant)):
        return [ValidationProblem(field, BEFORE_PROGRAMME_START)]
    return []
