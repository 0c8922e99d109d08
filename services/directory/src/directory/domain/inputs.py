"""What a caller (or an ORUK dump) sends to publish or change a service: ORUK 3.0 field names.

Writes are strict: an unknown key is a 422 (a misspelt field must not vanish silently; HSDS 3.0
allows extension fields, but this directory stores none, so accepting one would drop it), numbers,
booleans, dates and times must have their JSON types (no `true` for an age, no `"12"` for an
interval, no number for a date or time), names and texts must not be blank, times are local
wall-clock times without a UTC offset, and date ranges are ordered. An ORUK *dump* carries
read-only extras (back-references such as `service_id`, nested `organization`/`taxonomy_term`
objects, `last_modified`): the importer keeps only the fields these models know
(`known_fields_only`). Missing child ids are assigned. Money arrives as ORUK's number `amount`
(pounds) and is kept as integer pence.
"""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Annotated, Any, Literal, Self, get_args
from uuid import UUID, uuid4

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    model_validator,
)

from contracts.directory import ServiceStatus


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


def _not_a_json_number(value: Any) -> Any:
    """Dates and times arrive as strings (a number would be read as a Unix timestamp)."""
    if isinstance(value, int | float):
        raise ValueError("must be a string (ISO 8601)")
    return value


def _a_json_number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError("must be a JSON number")
    return value


def _local(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("must be a local time without a UTC offset, e.g. 09:30")
    return value


Text = Annotated[str, Field(min_length=1, max_length=2000), AfterValidator(_not_blank)]
Name = Annotated[str, Field(min_length=1, max_length=300), AfterValidator(_not_blank)]
Age = Annotated[StrictInt, Field(ge=0, le=130)]
Day = Annotated[date, BeforeValidator(_not_a_json_number)]
LocalTime = Annotated[time, BeforeValidator(_not_a_json_number), AfterValidator(_local)]
Degrees = StrictFloat
ByDay = Annotated[str, Field(pattern=r"^(-?[1-5]?(MO|TU|WE|TH|FR|SA|SU))(,-?[1-5]?(MO|TU|WE|TH|FR|SA|SU))*$")]


# Nested records per object: far above any real service (ORUK sets no limit), low enough that one
# write cannot make every later read of the service megabytes long.
MAX_NESTED = 200


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: UUID = Field(default_factory=uuid4)


class AttributeIn(_In):
    taxonomy_term_id: UUID


class AddressIn(_In):
    attention: Text | None = None
    address_1: Text
    city: Name
    region: Name | None = None
    state_province: Name
    postal_code: Annotated[str, Field(min_length=2, max_length=10)]
    country: Annotated[str, Field(min_length=2, max_length=2)] = "GB"
    address_type: Literal["physical", "postal", "virtual"] = "physical"


class AccessibilityIn(_In):
    description: Text | None = None
    details: Text | None = None
    url: Text | None = None
    accessibility: Text | None = None


class LocationIn(_In):
    location_type: Literal["physical", "postal", "virtual"] = "physical"
    name: Name | None = None
    description: Text | None = None
    latitude: Annotated[Degrees, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[Degrees, Field(ge=-180, le=180)] | None = None
    external_identifier: Text | None = None
    external_identifier_type: Text | None = None
    addresses: list[AddressIn] = Field(default_factory=list, max_length=MAX_NESTED)
    accessibility: list[AccessibilityIn] = Field(default_factory=list, max_length=MAX_NESTED)


class ServiceAtLocationIn(_In):
    location: LocationIn


class PhoneIn(_In):
    number: Annotated[str, Field(min_length=3, max_length=40)]
    description: Text | None = None


class ContactIn(_In):
    name: Name | None = None
    title: Name | None = None
    phones: list[PhoneIn] = Field(default_factory=list, max_length=MAX_NESTED)


class ScheduleIn(_In):
    service_at_location_id: UUID | None = None
    valid_from: Day | None = None
    valid_to: Day | None = None
    dtstart: Text | None = None
    freq: Literal["WEEKLY", "MONTHLY"] | None = None
    interval: Annotated[StrictInt, Field(ge=1, le=52)] | None = None
    byday: ByDay | None = None
    bymonthday: Annotated[str, Field(max_length=100)] | None = None
    description: Text | None = None
    opens_at: LocalTime | None = None
    closes_at: LocalTime | None = None
    schedule_link: Text | None = None
    attending_type: Name | None = None
    notes: Text | None = None

    @model_validator(mode="after")
    def _opens_before_it_closes(self) -> Self:
        if self.opens_at and self.closes_at and self.opens_at >= self.closes_at:
            raise ValueError("opens_at must be before closes_at")
        _valid_from_not_after_valid_to(self)
        return self


class CostOptionIn(_In):
    valid_from: Day | None = None
    valid_to: Day | None = None
    option: Text | None = None
    amount: Annotated[Decimal, BeforeValidator(_a_json_number), Field(ge=0, le=1_000_000, decimal_places=2)] | None = (
        None
    )
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "GBP"
    amount_description: Text | None = None

    @model_validator(mode="after")
    def _dates_are_ordered(self) -> Self:
        _valid_from_not_after_valid_to(self)
        return self

    @property
    def amount_pence(self) -> int | None:
        return None if self.amount is None else int(self.amount * 100)


class FundingIn(_In):
    source: Text


class LanguageIn(_In):
    name: Name | None = None
    code: Annotated[str, Field(min_length=2, max_length=20)] | None = None


class ServiceAreaIn(_In):
    name: Name | None = None
    extent: Text | None = None
    extent_type: Name | None = None
    uri: Text | None = None
    service_area: Text | None = None


class ServiceIn(_In):
    """A whole service (publish, or replace on update)."""

    organization_id: UUID
    name: Name
    description: Text | None = None
    url: Text | None = None
    email: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=300)] | None = None
    status: ServiceStatus = ServiceStatus.ACTIVE
    fees: Text | None = None
    accreditations: Text | None = None
    minimum_age: Age | None = None
    maximum_age: Age | None = None
    assured_date: Day | None = None
    assurer_email: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=300)] | None = None
    alert: Text | None = None
    attributes: list[AttributeIn] = Field(default_factory=list, max_length=MAX_NESTED)
    service_at_locations: list[ServiceAtLocationIn] = Field(default_factory=list, max_length=MAX_NESTED)
    contacts: list[ContactIn] = Field(default_factory=list, max_length=MAX_NESTED)
    schedules: list[ScheduleIn] = Field(default_factory=list, max_length=MAX_NESTED)
    cost_options: list[CostOptionIn] = Field(default_factory=list, max_length=MAX_NESTED)
    funding: list[FundingIn] = Field(default_factory=list, max_length=MAX_NESTED)
    languages: list[LanguageIn] = Field(default_factory=list, max_length=MAX_NESTED)
    service_areas: list[ServiceAreaIn] = Field(default_factory=list, max_length=MAX_NESTED)

    @model_validator(mode="after")
    def _age_range_is_ordered(self) -> Self:
        if self.minimum_age is not None and self.maximum_age is not None and self.minimum_age > self.maximum_age:
            raise ValueError("minimum_age must not be above maximum_age")
        return self


class OrganizationIn(_In):
    name: Name
    description: Text
    email: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=300)] | None = None
    website: Text | None = None
    logo: Text | None = None
    uri: Text | None = None
    parent_organization_id: UUID | None = None


class StatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    status: ServiceStatus


def _valid_from_not_after_valid_to(item: ScheduleIn | CostOptionIn) -> None:
    if item.valid_from and item.valid_to and item.valid_from > item.valid_to:
        raise ValueError("valid_from must not be after valid_to")


def known_fields_only(model: type[BaseModel], document: Any) -> Any:
    """An ORUK document pruned to the fields `model` (and its nested models) know, for the importer."""
    if not isinstance(document, dict):
        return document
    return {
        name: _prune(info.annotation, document[name]) for name, info in model.model_fields.items() if name in document
    }


def _prune(annotation: Any, value: Any) -> Any:
    nested = _model_in(annotation)
    if nested is None:
        return value
    if isinstance(value, list):
        return [known_fields_only(nested, item) for item in value]
    return known_fields_only(nested, value)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next((found for arg in get_args(annotation) if (found := _model_in(arg)) is not None), None)
