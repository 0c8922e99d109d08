"""Re-referral (issue 18 item 6, docs/domain.md §3.7): a new referral of a patient whose earlier
episodes have ended is a new episode that knows them, and is offered first to the link worker who
last held a case of the patient (continuity) when that worker has room."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from contracts.referral import EarlierEpisode, ReferralEpisodeLinked
from contracts.referral import ReferralStatus as S

# How an episode that counts has ended: it was found eligible and taken on. An ineligible referral was
# never an episode of support, and a withdrawn one was made in error: neither counts.
COUNTED_ENDINGS = frozenset({S.DISCHARGED, S.DECLINED, S.UNABLE_TO_CONTACT})


def counted(earlier: Iterable[EarlierEpisode]) -> tuple[EarlierEpisode, ...]:
    """The earlier episodes that count, oldest first (by referral date, then as given)."""
    kept = [e for e in earlier if e.status in COUNTED_ENDINGS]
    return tuple(sorted(kept, key=lambda e: e.referred_on))


def link_episode(referral_id: UUID, patient_id: UUID, earlier: Iterable[EarlierEpisode]) -> list[ReferralEpisodeLinked]:
    """The event that makes a new referral the patient's next episode; none for a first episode."""
    episodes = counted(earlier)
    if not episodes:
        return []
    return [
        ReferralEpisodeLinked(
            referral_id=referral_id,
            patient_id=patient_id,
            episode_number=len(episodes) + 1,
            earlier_episodes=episodes,
        )
    ]


def previous_link_worker(earlier: Iterable[EarlierEpisode]) -> UUID | None:
    """The link worker who last held a case of the patient: continuity's first offer."""
    held = [e.link_worker_id for e in earlier if e.link_worker_id is not None]
    return held[-1] if held else None


__all__ = ["COUNTED_ENDINGS", "counted", "link_episode", "previous_link_worker"]
