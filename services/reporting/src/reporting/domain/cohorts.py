"""Cohorts for outcome S: the patients whose baseline Star (as known) was taken in one quarter.

A patient belongs to the cohort of each episode's baseline quarter, once per cohort (a second
episode with a baseline in the same quarter does not count twice; the earlier baseline is kept).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from reporting.domain.calendar import Quarter
from reporting.domain.episode import Episode


@dataclass(frozen=True)
class CohortMember:
    patient_id: UUID
    provider_id: UUID | None  # holding the case on the baseline date (providers never change in a case)
    baseline_on: date
    baseline_evidence: tuple[str, ...]


def cohort_member(episode: Episode) -> tuple[Quarter, CohortMember] | None:
    """The cohort this episode puts its patient in (its baseline's quarter), or None (no baseline yet)."""
    baseline = episode.baseline
    if baseline is None or episode.patient_id is None or episode.withdrawn:
        return None  # a withdrawn referral's episode is in no cohort
    holder = episode.holder_on(baseline.taken_on)
    member = CohortMember(
        episode.patient_id,
        holder.provider_id if holder else baseline.provider_id,
        baseline.taken_on,
        baseline.evidence,
    )
    return Quarter.containing(baseline.taken_on), member


def cohorts(episodes: Iterable[Episode]) -> dict[Quarter, dict[UUID, CohortMember]]:
    """Episodes in case id order: for a patient with two episodes in one cohort the earlier baseline
    wins, and on the same day the case id that sorts first."""
    found: dict[Quarter, dict[UUID, CohortMember]] = {}
    for episode in episodes:
        joined = cohort_member(episode)
        if joined is None:
            continue
        quarter, member = joined
        members = found.setdefault(quarter, {})
        current = members.get(member.patient_id)
        if current is None or member.baseline_on < current.baseline_on:
            members[member.patient_id] = member
    return dict(sorted(found.items()))
