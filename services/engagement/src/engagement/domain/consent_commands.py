"""Recording consent and the patient's preferences (docs/domain.md §4.12). Each change is a new event;
the accessibility note is checked here and kept by the service, never published."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import cache

import pycountry

from contracts.casework import (
    AccessibilityNeed,
    ConsentKind,
    ConsentRecorded,
    ConsentState,
    ContactPreferenceMode,
    ContactTime,
    PreferencesRecorded,
)
from contracts.events import EventPayload
from engagement.domain.case_base import CaseBase
from engagement.domain.consent import CONSENT_TRANSITIONS, REFUSING, current_consent, new_work_days
from engagement.domain.errors import InvalidCommand, ValidationProblem, fail_if
from engagement.domain.inputs import member, member_problem, members, text_problems


class ConsentCommands(CaseBase):
    def record_consent(
        self, consent: ConsentKind | str, state: ConsentState | str, *, on: date, today: date
    ) -> list[EventPayload]:
        """Consent given, declined or withdrawn `on` a day (not in the future, not before the case
        opened nor this consent's last change)."""
        self._ensure_open()
        kind = member(ConsentKind, consent)
        problems = member_problem("consent", ConsentKind, consent) + member_problem("state", ConsentState, state)
        last = None if kind is None else current_consent(self, kind)
        floor = (None if last is None else last.on, "this consent's last change")
        fail_if(problems + self._date_problems("on", on, today, floor))
        assert kind is not None
        to = ConsentState(state)
        if to not in CONSENT_TRANSITIONS[None if last is None else last.state]:
            raise InvalidCommand(_refusal(kind, None if last is None else last.state, to))
        if kind is ConsentKind.SERVICE and to in REFUSING:
            later = [d for d in new_work_days(self) if d > on]
            if later:
                raise InvalidCommand(
                    f"case work is recorded on {max(later)}, after {on}: consent to the service cannot be"
                    f" {to.value} before work that was done with it"
                )
        return [ConsentRecorded(**self._stamp(), consent=kind, state=to, on=on)]

    def record_preferences(
        self,
        *,
        contact_modes: Iterable[str],
        contact_times: Iterable[str],
        language: str | None,
        interpreter_needed: bool,
        accessibility_needs: Iterable[str],
        accessibility_note: str | None,
        on: date,
        today: date,
    ) -> list[EventPayload]:
        """The whole set of preferences as they stand from `on` (each set replaces the last)."""
        self._ensure_open()
        modes, problems = members("contact_modes", ContactPreferenceMode, contact_modes)
        times, time_problems = members("contact_times", ContactTime, contact_times)
        needs, need_problems = members("accessibility_needs", AccessibilityNeed, accessibility_needs)
        problems += time_problems + need_problems + language_problems(language)
        if interpreter_needed and not language:
            problems.append(ValidationProblem("language", "name the language an interpreter is needed for"))
        note = (accessibility_note or "").strip()
        problems += text_problems("accessibility_note", accessibility_note, required=False)
        if AccessibilityNeed.OTHER in needs and not note:
            problems.append(ValidationProblem("accessibility_note", "say what the other need is"))
        last = self.preferences[-1].recorded_on if self.preferences else None
        fail_if(problems + self._date_problems("recorded_on", on, today, (last, "the last preferences recorded")))
        return [
            PreferencesRecorded(
                **self._stamp(),
                contact_modes=modes,
                contact_times=times,
                language=None if not language else language.lower(),
                interpreter_needed=interpreter_needed,
                accessibility_needs=needs,
                has_accessibility_note=bool(note),
                recorded_on=on,
            )
        ]


def language_problems(language: str | None) -> list[ValidationProblem]:
    """An ISO 639-1 or 639-3 language code the ISO tables know (`pl`, `ur`, `bfi` for BSL)."""
    if language is None or is_language(language.lower()):
        return []
    return [ValidationProblem("language", "must be an ISO 639-1 or ISO 639-3 language code (e.g. pl, ur, bfi)")]


@cache
def is_language(code: str) -> bool:
    if len(code) == 2 and code.isascii() and code.isalpha():
        return pycountry.languages.get(alpha_2=code) is not None
    if len(code) == 3 and code.isascii() and code.isalpha():
        return pycountry.languages.get(alpha_3=code) is not None
    return False


def _refusal(kind: ConsentKind, last: ConsentState | None, to: ConsentState) -> str:
    what = f"consent to {'the service' if kind is ConsentKind.SERVICE else 'share outcomes with the GP'}"
    if last is None:
        return f"{what} was never given, so it cannot be {to.value}: record it as given or declined"
    if last is to:
        return f"{what} is already {to.value}: nothing changes"
    return f"{what} is {last.value}: it can only be given again, not {to.value}"
