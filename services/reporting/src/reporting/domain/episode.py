"""One case's episode as known at a moment: the fold that the outcome rules read.

Stars: baseline = earliest Star not voided; the rest are reviews, in date order. A correction
replaces the Star's scores from when it is recorded (so only if recorded by `known_at`); a void
likewise. Case holders come from `CaseOpened` / `CaseReassigned`, dated by `allocated_on` /
`reassigned_on`, for attributing an outcome to whoever held the case on the day it was achieved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from uuid import UUID

from contracts import engagement as e
from reporting.domain.facts import Fact, by_case, known_by


@dataclass(frozen=True)
class StarView:
    star_id: UUID
    taken_on: date
    total: int  # after every correction known
    evidence: tuple[str, ...]  # the recording event, then each correction applied
    provider_id: UUID
    link_worker_id: UUID
    voided: bool = False


@dataclass(frozen=True)
class Holding:
    since: date
    provider_id: UUID
    link_worker_id: UUID
    event_id: str


@dataclass(frozen=True)
class Extension:
    review_on: date
    event_id: str


@dataclass(frozen=True)
class Episode:
    case_id: str
    patient_id: UUID | None = None
    all_stars: tuple[StarView, ...] = ()  # in the order recorded, voided ones included
    holdings: tuple[Holding, ...] = ()
    extensions: tuple[Extension, ...] = ()
    discharged_on: date | None = None
    engaged_event_id: str | None = None
    withdrawn: bool = False  # its referral was withdrawn as made in error: no outcome, no cohort

    @property
    def stars(self) -> list[StarView]:
        """Stars that count, oldest first: the first is the baseline."""
        standing = [s for s in self.all_stars if not s.voided]
        return sorted(standing, key=lambda s: s.taken_on)  # stable: equal dates keep recorded order

    @property
    def baseline(self) -> StarView | None:
        stars = self.stars
        return stars[0] if stars else None

    @property
    def reviews(self) -> list[StarView]:
        return self.stars[1:]

    def holder_on(self, day: date) -> Holding | None:
        """Who held the case on a day: the latest opening/reassignment dated on or before it."""
        earlier = [h for h in self.holdings if h.since <= day]
        if earlier:
            return max(earlier, key=lambda h: h.since)  # one holding per date (see _holding)
        return self.holdings[0] if self.holdings else None


def episodes_known_at(facts: Iterable[Fact], known_at: datetime) -> list[Episode]:
    """Every case's episode using only facts recorded by `known_at`, sorted by case id."""
    return [fold_episode(case_id, items) for case_id, items in by_case(known_by(facts, known_at)).items()]


def episode_view(facts: Iterable[Fact], known_at: datetime) -> Episode:
    """The episode of the single case these facts are about, as known at `known_at`."""
    episodes = episodes_known_at(facts, known_at)
    if len(episodes) != 1:
        raise ValueError(f"expected the facts of one case, got {len(episodes)}")
    return episodes[0]


def fold_episode(case_id: str, facts: Iterable[Fact]) -> Episode:
    episode = Episode(case_id=case_id)
    for fact in facts:
        episode = apply_fact(episode, fact)
    return episode


def apply_fact(episode: Episode, fact: Fact) -> Episode:
    """One step of the fold (facts of other types leave the episode as it is)."""
    if fact.event_type in _APPLIERS:
        return _APPLIERS[fact.event_type](episode, fact.typed(), str(fact.event_id))
    return episode


def _holding(ep: Episode, ev: e.CaseOpened | e.CaseReassigned, event_id: str, since: date) -> Episode:
    held = Holding(since, ev.provider_id, ev.link_worker_id, event_id)
    # Reassignment on the same day replaces; keep order of recording.
    kept = tuple(h for h in ep.holdings if h.since != since)
    return replace(ep, patient_id=ev.patient_id, holdings=(*kept, held))


def _star_recorded(ep: Episode, ev: e.WellbeingStarRecorded, event_id: str) -> Episode:
    star = StarView(ev.star_id, ev.taken_on, ev.total, (event_id,), ev.provider_id, ev.link_worker_id)
    return replace(ep, patient_id=ev.patient_id, all_stars=(*ep.all_stars, star))


def _change_star(ep: Episode, star_id: UUID, change: Callable[[StarView], StarView]) -> Episode:
    return replace(ep, all_stars=tuple(change(s) if s.star_id == star_id else s for s in ep.all_stars))


def _star_corrected(ep: Episode, ev: e.WellbeingStarCorrected, event_id: str) -> Episode:
    return _change_star(ep, ev.star_id, lambda s: replace(s, total=ev.total, evidence=(*s.evidence, event_id)))


def _star_voided(ep: Episode, ev: e.WellbeingStarVoided, event_id: str) -> Episode:
    return _change_star(ep, ev.star_id, lambda s: replace(s, voided=True))


# event type -> (episode, typed payload, event id) -> the episode after it
_APPLIERS: dict[str, Callable[[Episode, Any, str], Episode]] = {
    "CaseOpened": lambda ep, ev, i: _holding(ep, ev, i, ev.allocated_on),
    "CaseReassigned": lambda ep, ev, i: _holding(ep, ev, i, ev.reassigned_on),
    "WellbeingStarRecorded": _star_recorded,
    "WellbeingStarCorrected": _star_corrected,
    "WellbeingStarVoided": _star_voided,
    "CaseEngaged": lambda ep, ev, i: replace(ep, patient_id=ev.patient_id, engaged_event_id=i),
    "CaseExtended": lambda ep, ev, i: replace(ep, extensions=(*ep.extensions, Extension(ev.review_on, i))),
    "CaseDischarged": lambda ep, ev, i: replace(ep, discharged_on=ev.discharged_on),
    # A referral made in error: from the withdrawal's recorded_at on, the episode counts for nothing.
    "ReferralWithdrawn": lambda ep, ev, i: replace(ep, patient_id=ev.patient_id, withdrawn=True),
}
