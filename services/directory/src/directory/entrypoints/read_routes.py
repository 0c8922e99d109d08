"""The ORUK 3.0 read API: public, no token."""

from __future__ import annotations

from datetime import time
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from pydantic import AfterValidator

from directory.domain.errors import ValidationFailed
from directory.domain.search import ServiceFilter
from directory.entrypoints.dependencies import PageSize
from directory.entrypoints.schemas import (
    ApiMetadata,
    Organization,
    OrganizationWithServices,
    Page,
    Service,
    ServiceAtLocationDetail,
    ServiceAtLocationListed,
    ServiceSummary,
    Taxonomy,
    TaxonomyTerm,
    TaxonomyWithTerms,
)
from directory.service_layer import views
from directory.service_layer.views import Document
from linkwell_runtime.input_guards import Instant, PageNumber
from linkwell_runtime.problems import responses
from linkwell_runtime.web import CursorDep

ORUK_VERSION = "3.0"
ORUK_PROFILE = "https://openreferraluk.org/"
TAG = "ORUK 3.0 read API"
DAYS = {
    "MO": "MO",
    "TU": "TU",
    "WE": "WE",
    "TH": "TH",
    "FR": "FR",
    "SA": "SA",
    "SU": "SU",
    "MONDAY": "MO",
    "TUESDAY": "TU",
    "WEDNESDAY": "WE",
    "THURSDAY": "TH",
    "FRIDAY": "FR",
    "SATURDAY": "SA",
    "SUNDAY": "SU",
}

router = APIRouter(tags=[TAG])
UNKNOWN_ID = responses(404)
# `page` (PageNumber): from 1; a page past the end is an empty page (200), not an error


def _local(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("must be a local time without a UTC offset, e.g. 09:30")
    return value


LocalTime = Annotated[time, AfterValidator(_local)]


def service_filter(
    search: Annotated[str | None, Query(max_length=200, description="name or description, any case")] = None,
    taxonomy_term_id: Annotated[UUID | None, Query(description="that term or any term below it")] = None,
    taxonomy_id: UUID | None = None,
    minimum_age: Annotated[float | None, Query(ge=0, le=150, description="service minimum ≥ this")] = None,
    maximum_age: Annotated[float | None, Query(ge=0, le=150, description="service maximum ≤ this")] = None,
    day: Annotated[str | None, Query(description="MO..SU or monday..sunday")] = None,
    start_time: Annotated[LocalTime | None, Query(description="a schedule opens at or after (local time)")] = None,
    end_time: Annotated[LocalTime | None, Query(description="the same schedule closes at or before")] = None,
    organization_id: UUID | None = None,
    modified_after: Annotated[Instant | None, Query(description="RFC 3339 date-time with a UTC offset")] = None,
) -> ServiceFilter:
    if day is not None and day.upper() not in DAYS:
        raise ValidationFailed.field(("query", "day"), "a day: MO..SU or monday..sunday", "enum")
    return ServiceFilter(
        search,
        taxonomy_term_id,
        taxonomy_id,
        minimum_age,
        maximum_age,
        DAYS[day.upper()] if day else None,
        start_time,
        end_time,
        organization_id,
        modified_after,
    )


Filters = Annotated[ServiceFilter, Depends(service_filter)]


@router.get("/", response_model=ApiMetadata, summary="API metadata")
def api_metadata(request: Request) -> Document:
    """The HSDS/ORUK version (3.0), the ORUK profile and where the OpenAPI description is."""
    base = str(request.base_url).rstrip("/")
    return {"version": ORUK_VERSION, "profile": ORUK_PROFILE, "openapi_url": f"{base}/openapi.json"}


@router.get("/services", response_model=Page[ServiceSummary], summary="List services")
def list_services(cur: CursorDep, flt: Filters, size: PageSize, page: PageNumber = 1) -> Document:
    """Services (one-to-one fields and their organisation), filtered, a page at a time."""
    return views.services_page(cur, flt, page, size)


@router.get("/services/{service_id}", response_model=Service, summary="One service", responses=UNKNOWN_ID)
def get_service(cur: CursorDep, service_id: UUID) -> Document:
    """One service, fully nested."""
    return views.service(cur, service_id)


@router.get(
    "/service_at_locations",
    response_model=Page[ServiceAtLocationListed],
    summary="List services at locations, nearest first",
)
def list_service_at_locations(
    cur: CursorDep,
    flt: Filters,
    size: PageSize,
    page: PageNumber = 1,
    postcode: Annotated[str | None, Query(max_length=10, description="a postcode or district, e.g. NE6 2FA")] = None,
    proximity: Annotated[float | None, Query(gt=0, le=200_000, description="metres from the postcode")] = None,
) -> Document:
    """Services at locations; with `postcode`, nearest first (`distance` in metres), within `proximity`."""
    return views.service_at_locations_page(cur, flt, postcode, proximity, page, size)


@router.get(
    "/service_at_locations/{sal_id}",
    response_model=ServiceAtLocationDetail,
    summary="One service at a location",
    responses=UNKNOWN_ID,
)
def get_service_at_location(cur: CursorDep, sal_id: UUID) -> Document:
    """One service at a location, with its location and its fully nested service."""
    return views.service_at_location(cur, sal_id)


@router.get("/taxonomies", response_model=Page[Taxonomy], summary="List taxonomies")
def list_taxonomies(cur: CursorDep, size: PageSize, page: PageNumber = 1) -> Document:
    """Taxonomies, a page at a time."""
    return views.page_of(cur, "taxonomy", page, size)


@router.get("/taxonomies/{taxonomy_id}", response_model=TaxonomyWithTerms, summary="One taxonomy", responses=UNKNOWN_ID)
def get_taxonomy(cur: CursorDep, taxonomy_id: UUID) -> Document:
    """One taxonomy with its terms."""
    return views.taxonomy(cur, taxonomy_id)


@router.get("/taxonomy_terms", response_model=Page[TaxonomyTerm], summary="List taxonomy terms")
def list_taxonomy_terms(cur: CursorDep, size: PageSize, page: PageNumber = 1) -> Document:
    """Taxonomy terms, a page at a time."""
    return views.page_of(cur, "taxonomy_term", page, size)


@router.get("/taxonomy_terms/{term_id}", response_model=TaxonomyTerm, summary="One taxonomy term", responses=UNKNOWN_ID)
def get_taxonomy_term(cur: CursorDep, term_id: UUID) -> Document:
    """One taxonomy term."""
    return views.taxonomy_term(cur, term_id)


@router.get("/organizations", response_model=Page[Organization], summary="List organisations")
def list_organizations(cur: CursorDep, size: PageSize, page: PageNumber = 1) -> Document:
    """Organisations (one-to-one fields), a page at a time."""
    return views.page_of(cur, "organization", page, size)


@router.get(
    "/organizations/{organization_id}",
    response_model=OrganizationWithServices,
    summary="One organisation with its services",
    responses=UNKNOWN_ID,
)
def get_organization(cur: CursorDep, organization_id: UUID) -> Document:
    """One organisation with its services fully nested."""
    return views.organization_with_services(cur, organization_id)
