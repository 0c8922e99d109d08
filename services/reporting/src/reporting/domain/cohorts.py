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


def cohorts(episodes: Iterable[Episode]) -> dict[Quarter, dict[UUID, CohortMember]]:
    found: dict[Quarter, dict[UUID, CohortMember]] = {}
    for episode in episodes:
        baseline = episode.baseline
        if baseline is None or episode.patient_id is None:
            continue
        holder = episode.holder_on(baseline.taken_on)
        member = CohortMember(
            episode.patient_id,
            holder.provider_id if holder else baseline.provider_id,
            baseline.taken_on,
            baseline.evidence,
        )
        members = found.setdefault(Quarter.containing(baseline.taken_on), {})
        current = members.get(member.patient_id)
        if current is None or member.baseline_on < current.baseline_on:
            members[member.patient_id] = member
    return dict(sorted(found.items()))
