"""Outcome W: well-being improvement per patient (docs/domain.md §6).

A review qualifies when the episode has a baseline, the review was taken at least
`review_min_days` after the baseline or after the previous *qualifying* review (a review that does
not qualify does not move this anchor), its total is at least baseline total + `min_gain_points`,
and it lies within the episode: on or before the discharge date, and on a day the two-year clock
covers (`contracts.time_limit`, the clock engagement counts too: before the anniversary of the
case's opening, or on or before an extension's `review_on`). Reviews are
taken in date order; at most `w_max_per_episode` qualify. The rulebook in force on the review's
date (its achieved date) decides both the rules and the price; a review dated before every rulebook
is skipped (it does not move the anchor) and the ledger lists it among its exceptions.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from contracts import time_limit
from reporting.domain.episode import Episode, StarView
from reporting.domain.outcome import Outcome, unique, w_outcome_id
from reporting.domain.rulebook import Rulebook, covered, rulebook_for
from reporting.domain.shares import split_shares


def w_outcomes(episode: Episode, rulebooks: Sequence[Rulebook], as_of: date) -> list[Outcome]:
    """Qualifying reviews of one episode achieved on or before `as_of`, oldest first."""
    baseline = episode.baseline
    if baseline is None or episode.withdrawn:
        return []
    anchor, qualifying = baseline.taken_on, list[Outcome]()
    for review in episode.reviews:
        if not covered(review.taken_on, rulebooks):
            continue  # no rulebook prices it: listed among the ledger's exceptions (uncovered.py)
        rulebook = rulebook_for(review.taken_on, rulebooks)
        if len(qualifying) >= rulebook.w_max_per_episode:
            break
        if _qualifies(episode, baseline, review, anchor, rulebook):
            qualifying.append(_outcome(episode, baseline, review, rulebook))
            anchor = review.taken_on
    return [o for o in qualifying if o.achieved_on <= as_of]


def _qualifies(episode: Episode, baseline: StarView, review: StarView, anchor: date, rulebook: Rulebook) -> bool:
    return (
        (review.taken_on - anchor).days >= rulebook.review_min_days
        and review.total >= baseline.total + rulebook.min_gain_points
        and _within_episode(episode, baseline, review.taken_on, rulebook)
    )


def _within_episode(episode: Episode, baseline: StarView, day: date, rulebook: Rulebook) -> bool:
    if episode.discharged_on is not None and day > episode.discharged_on:
        return False
    return time_limit.is_covered(day, _limit_on(episode, baseline, rulebook), [x.review_on for x in episode.extensions])


def _limit_on(episode: Episode, baseline: StarView, rulebook: Rulebook) -> date:
    """The clock starts at the case's opening (its allocation date; the baseline if no opening is known)."""
    opened_on = min((h.since for h in episode.holdings), default=baseline.taken_on)
    return time_limit.limit_on(opened_on, rulebook.episode_limit_years)


def _extension_for(episode: Episode, day: date) -> str | None:
    covering = [x for x in episode.extensions if x.review_on >= day]
    return covering[0].event_id if covering else None


def _outcome(episode: Episode, baseline: StarView, review: StarView, rulebook: Rulebook) -> Outcome:
    holder = episode.holder_on(review.taken_on)
    provider_id = holder.provider_id if holder else review.provider_id
    link_worker_id = holder.link_worker_id if holder else review.link_worker_id
    beyond_limit = review.taken_on >= _limit_on(episode, baseline, rulebook)
    evidence = unique(
        [
            episode.holdings[0].event_id if episode.holdings else None,
            episode.engaged_event_id,
            *baseline.evidence,
            *review.evidence,
            holder.event_id if holder else None,
            _extension_for(episode, review.taken_on) if beyond_limit else None,
        ]
    )
    amount = rulebook.w_price_pence
    return Outcome(
        outcome_id=w_outcome_id(episode.case_id, review.star_id),
        outcome_type="W",
        achieved_on=review.taken_on,
        amount=amount,
        payer_shares=tuple(split_shares(amount, rulebook.shares).items()),
        provider_id=provider_id,
        link_worker_id=link_worker_id,
        evidence=evidence,
        rulebook=rulebook.label,
        patient_id=episode.patient_id,
        case_id=episode.case_id,
    )
