"""What a search of the directory asks for: the service filters and, near a postcode, the point
results are measured from (the adapters turn them into SQL)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from uuid import UUID


@dataclass(frozen=True)
class ServiceFilter:
    """`day`/`start_time`/`end_time` must hold for one and the same schedule."""

    search: str | None = None
    taxonomy_term_id: UUID | None = None  # that term or any term below it
    taxonomy_id: UUID | None = None
    minimum_age: float | None = None  # the service's minimum is at least this
    maximum_age: float | None = None  # the service's maximum is at most this
    day: str | None = None  # MO..SU
    start_time: time | None = None  # a schedule opens at or after
    end_time: time | None = None  # a schedule closes at or before
    organization_id: UUID | None = None
    modified_after: datetime | None = None


@dataclass(frozen=True)
class Point:
    """A postcode district's centroid; `within_metres`: only results this close."""

    latitude: float
    longitude: float
    within_metres: float | None = None
