"""The read and write answers as ORUK 3.0 documents (tests/data/oruk-3.0 holds the published schemas):
field names and types are ORUK's, null fields are left out (ORUK types them as strings, not nullable),
`extra="forbid"` so a read-model column no model knows fails the conformance tests, not silently.

Dates, times and instants are kept as the text the read model renders (ORUK types them as strings),
so an answer's bytes are what the database wrote."""

from __future__ import annotations

from typing import Annotated, Generic, Literal, TypeVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema, WithJsonSchema

from contracts.directory import ServiceStatus

T = TypeVar("T")


def _none(value: object) -> bool:
    return value is None


Maybe = Annotated[T | SkipJsonSchema[None], Field(exclude_if=_none)]  # left out of the document when None
Date = Annotated[str, Field(json_schema_extra={"format": "date"}, examples=["2026-01-01"])]
LocalTime = Annotated[str, Field(description="local wall-clock time, no UTC offset", examples=["09:30:00"])]
DateTime = Annotated[str, Field(json_schema_extra={"format": "date-time"})]
Number = Annotated[int | float, WithJsonSchema({"type": "number"})]  # a JSON number as the database wrote it
LocationType = Literal["physical", "postal", "virtual"]


class Document(BaseModel):
    """An ORUK document: its fields as the read model has them, no others."""

    model_config = ConfigDict(extra="forbid")


class ApiMetadata(Document):
    version: str = Field(description="HSDS/ORUK version of this API", examples=["3.0"])
    profile: str = Field(description="the ORUK profile", examples=["https://openreferraluk.org/"])
    openapi_url: str


class Page(Document, Generic[T]):
    """ORUK's page envelope: a page past the end is empty, not an error."""

    total_items: int
    total_pages: int
    page_number: int
    size: int
    first_page: bool
    last_page: bool
    empty: bool
    contents: list[T]


class Organization(Document):
    id: UUID
    name: str
    description: str
    email: Maybe[str] = None
    website: Maybe[str] = None
    logo: Maybe[str] = None
    uri: Maybe[str] = None
    parent_organization_id: Maybe[UUID] = None


class TaxonomyTerm(Document):
    id: UUID
    name: str
    description: str
    parent_id: Maybe[UUID] = None
    taxonomy: Maybe[str] = None
    taxonomy_id: Maybe[UUID] = None
    term_uri: Maybe[str] = None
    term: Maybe[str] = None


class Taxonomy(Document):
    id: UUID
    name: str
    description: str
    uri: Maybe[str] = None
    version: Maybe[str] = None


class TaxonomyWithTerms(Taxonomy):
    taxonomy_terms: list[TaxonomyTerm]


class Attribute(Document):
    id: UUID
    link_id: UUID
    link_type: str
    taxonomy_term_id: UUID
    taxonomy_term: TaxonomyTerm


class Address(Document):
    id: UUID
    location_id: UUID
    attention: Maybe[str] = None
    address_1: str
    city: str
    region: Maybe[str] = None
    state_province: str
    postal_code: str
    country: str
    address_type: LocationType


class Accessibility(Document):
    id: UUID
    location_id: UUID
    description: Maybe[str] = None
    details: Maybe[str] = None
    url: Maybe[str] = None
    accessibility: Maybe[str] = None


class Location(Document):
    id: UUID
    location_type: LocationType
    name: Maybe[str] = None
    description: Maybe[str] = None
    latitude: Maybe[Number] = None
    longitude: Maybe[Number] = None
    external_identifier: Maybe[str] = None
    external_identifier_type: Maybe[str] = None
    addresses: list[Address]
    accessibility: list[Accessibility]


class Phone(Document):
    id: UUID
    contact_id: UUID
    number: str
    description: Maybe[str] = None


class Contact(Document):
    id: UUID
    service_id: UUID
    name: Maybe[str] = None
    title: Maybe[str] = None
    phones: list[Phone]


class Schedule(Document):
    id: UUID
    service_id: UUID
    service_at_location_id: Maybe[UUID] = None
    valid_from: Maybe[Date] = None
    valid_to: Maybe[Date] = None
    dtstart: Maybe[str] = None
    freq: Maybe[Literal["WEEKLY", "MONTHLY"]] = None
    interval: Maybe[int] = None
    byday: Maybe[str] = None
    bymonthday: Maybe[str] = None
    description: Maybe[str] = None
    opens_at: Maybe[LocalTime] = None
    closes_at: Maybe[LocalTime] = None
    schedule_link: Maybe[str] = None
    attending_type: Maybe[str] = None
    notes: Maybe[str] = None


class CostOption(Document):
    id: UUID
    service_id: UUID
    valid_from: Maybe[Date] = None
    valid_to: Maybe[Date] = None
    option: Maybe[str] = None
    amount: Maybe[Number] = Field(default=None, description="pounds, at most 2 decimal places")
    currency: str = Field(description="ISO 4217 (an extension of ORUK's cost_option)", examples=["GBP"])
    amount_description: Maybe[str] = None


class Funding(Document):
    id: UUID
    service_id: UUID
    source: Maybe[str] = None


class Language(Document):
    id: UUID
    service_id: UUID
    name: Maybe[str] = None
    code: Maybe[str] = None


class ServiceArea(Document):
    id: UUID
    service_id: UUID
    name: Maybe[str] = None
    extent: Maybe[str] = None
    extent_type: Maybe[str] = None
    uri: Maybe[str] = None
    service_area: Maybe[str] = None


class ServiceSummary(Document):
    """A service's one-to-one fields and its organisation (the list form)."""

    id: UUID
    organization_id: UUID
    name: str
    description: Maybe[str] = None
    url: Maybe[str] = None
    email: Maybe[str] = None
    status: ServiceStatus
    fees: Maybe[str] = None
    accreditations: Maybe[str] = None
    minimum_age: Maybe[int] = None
    maximum_age: Maybe[int] = None
    assured_date: Maybe[Date] = None
    assurer_email: Maybe[str] = None
    alert: Maybe[str] = None
    last_modified: DateTime
    organization: Maybe[Organization] = Field(default=None, description="absent where the organisation nests it")


class ServiceAtLocation(Document):
    id: UUID
    service_id: UUID
    location_id: UUID
    location: Location


class Service(ServiceSummary):
    """A service fully nested."""

    schedules: list[Schedule]
    service_areas: list[ServiceArea]
    languages: list[Language]
    funding: list[Funding]
    cost_options: list[CostOption]
    contacts: list[Contact]
    attributes: list[Attribute]
    service_at_locations: list[ServiceAtLocation]


class ServiceAtLocationListed(ServiceAtLocation):
    service: ServiceSummary
    distance: Maybe[int] = Field(default=None, description="metres from the postcode, when one was given")


class ServiceAtLocationDetail(ServiceAtLocation):
    service: Service


class OrganizationWithServices(Organization):
    services: list[Service]
