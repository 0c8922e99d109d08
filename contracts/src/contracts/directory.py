"""Directory events (topic `linkwell.directory.v1`): the community services link workers refer into.

The directory publishes Open Referral UK 3.0 documents over HTTP; on Kafka it sends only what other
services need for a local copy of a service (the engagement service keeps one so a linkage can name
a service and its category): ids, name, status, linkage category codes, taxonomy term ids, the age
range and the modification time. The fully nested ORUK document stays behind the directory's read
API (`GET /services/{id}`). Aggregate types: `service` and `organization`; aggregate id = the UUID.
Kafka key = that UUID, so one service's events stay in order.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar, Self
from uuid import UUID

from pydantic import AwareDatetime, Field, model_validator

from contracts import topics
from contracts.engagement import LinkageCategory
from contracts.events import EventPayload, register_event


class ServiceStatus(StrEnum):
    """ORUK 3.0 service status (note the space in "temporarily closed")."""

    ACTIVE = "active"
    INACTIVE = "inactive"
    DEFUNCT = "defunct"
    TEMPORARILY_CLOSED = "temporarily closed"


class _ServiceEvent(EventPayload):
    aggregate_type: ClassVar[str] = "service"
    topic: ClassVar[str] = topics.DIRECTORY

    service_id: UUID
    organization_id: UUID
    last_modified: AwareDatetime = Field(description="the service's ORUK last_modified after this change")


class _ServiceSummary(_ServiceEvent):
    name: str = Field(min_length=1, max_length=300)
    status: ServiceStatus
    categories: tuple[LinkageCategory, ...] = Field(
        default=(), description="linkage categories (docs/domain.md §4) the service is tagged with"
    )
    taxonomy_term_ids: tuple[UUID, ...] = Field(default=(), description="every ORUK taxonomy term it is tagged with")
    minimum_age: int | None = Field(default=None, ge=0, le=130)
    maximum_age: int | None = Field(default=None, ge=0, le=130)

    @model_validator(mode="after")
    def _age_range_is_ordered(self) -> Self:
        if self.minimum_age is not None and self.maximum_age is not None and self.minimum_age > self.maximum_age:
            raise ValueError("minimum_age is above maximum_age")
        return self


@register_event
class ServicePublished(_ServiceSummary):
    """A service entered the directory (by an operator, a provider manager or an ORUK import)."""

    event_type: ClassVar[str] = "ServicePublished"


@register_event
class ServiceUpdated(_ServiceSummary):
    """A published service changed (any field); carries the summary as it is now."""

    event_type: ClassVar[str] = "ServiceUpdated"


@register_event
class ServiceStatusChanged(_ServiceEvent):
    """The service's ORUK status changed; its id stays stable, so linkages keep pointing at it."""

    event_type: ClassVar[str] = "ServiceStatusChanged"

    from_status: ServiceStatus
    to_status: ServiceStatus


class _OrganizationEvent(EventPayload):
    aggregate_type: ClassVar[str] = "organization"
    topic: ClassVar[str] = topics.DIRECTORY

    organization_id: UUID
    name: str = Field(min_length=1, max_length=300)


@register_event
class OrganizationPublished(_OrganizationEvent):
    """An organisation that delivers services entered the directory."""

    event_type: ClassVar[str] = "OrganizationPublished"


@register_event
class OrganizationUpdated(_OrganizationEvent):
    event_type: ClassVar[str] = "OrganizationUpdated"


DIRECTORY_EVENTS: tuple[type[EventPayload], ...] = (
    ServicePublished,
    ServiceUpdated,
    ServiceStatusChanged,
    OrganizationPublished,
    OrganizationUpdated,
)
