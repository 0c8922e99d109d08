"""The distribution of Well-being Star change per episode for effective date D as known at T, for
every provider or one (a provider manager's scope): counts only, no patient or case ids."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from contracts.engagement import StarArea
from reporting.adapters import star_facts
from reporting.domain.star_change import Distribution, distribution, episode_changes
from reporting.service_layer.unit_of_work import ReportingUnitOfWork

AREAS = tuple(area.value for area in StarArea)


@dataclass(frozen=True)
class StarChange:
    as_of: date
    known_at: datetime
    provider_id: UUID | None
    distribution: Distribution


def star_change(
    uow: ReportingUnitOfWork, as_of: date | None, known_at: datetime | None, provider_id: UUID | None
) -> StarChange:
    """Stars taken by `as_of` (default: today), facts recorded by `known_at` (default: now)."""
    as_of, known_at = as_of or uow.today, known_at or uow.now
    changes = episode_changes(star_facts.star_facts(uow.cur, known_at, provider_id), as_of)
    if provider_id is not None:
        changes = [c for c in changes if c.provider_id == str(provider_id)]
    return StarChange(as_of, known_at, provider_id, distribution(changes, AREAS))
