"""The ORUK 3.0 read API: public, no token."""
from __future__ import annotations

from datetime import time
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from linkwell_runtime.input_guards import Instant, PageNumber
from pydantic import AfterValidator

from directory.adapters import oruk_queries as q
from directory.domain.errors import ValidationFailed
from directory.domain.geography import outcode
from directory.domain.paging import page_envelope

ORUK_PROFILE = "https://openreferraluk.org/"
DAYS = {"MO": "MO", "TU": "TU", "WE": "WE", "TH": "TH", "FR": "FR", "SA": "SA", "SU": "SU", "MONDAY": "MO",
        "TUESDAY": "TU", "WEDNESDAY": "WE", "THURSDAY": "TH", "FRIDAY": "FR", "SATURDAY": "SA", "SUNDAY": "SU"}

router = APIRouter(tags=["ORUK 3.0 read API"])



def _local(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("must be a local time without a UTC offset, e.g. 09:30")
    return value


Page = PageNumber  # ORUK: from 1; a page past the end is an empty page (200), not an error
ModifiedAfter = Instant
LocalTime = Annotated[time, AfterValidator(_local)]
PerPage = Annotated[int | None, Query(ge=1, description="Results per page (default 50, at most 200)")]


def _per_page(request: Request, per_page: int | None) -> int:
    settings = request.app.state.settings
    if per_page is None:
        return settings.default_per_page
    if per_page > settings.max_per_page:
        raise ValidationFailed.field(("query", "per_page"), f"at most {settings.max_per_page}", "less_than_equal")
    return per_page


def service_filter(
    search: Annotated[str | None, Query(max_length=200)] = None,
    taxonomy_term_id: UUID | None = None,
    taxonomy_id: UUID | None = None,
    minimum_age: Annotated[float | None, Query(ge=0, le=150)] = None,
    maximum_age: Annotated[float | None, Query(ge=0, le=150)] = None,
    day: str | None = None,
    start_time: LocalTime | None = None,
    end_time: LocalTime | None = None,
    organization_id: UUID | None = None,
    modified_after: Annotated[ModifiedAfter | None, Query(description="RFC 3339 date-time with a UTC offset")] = None,
) -> q.ServiceFilter:
    if day is not None and day.upper() not in DAYS:
        raise ValidationFailed.field(("query", "day"), "a day: MO..SU or monday..sunday", "enum")
    return q.ServiceFilter(search, taxonomy_term_id, taxonomy_id, minimum_age, maximum_age,
                           DAYS[day.upper()] if day else None, start_time, end_time, organization_id, modified_after)


Filters = Annotated[q.ServiceFilter, Depends(service_filter)]


@router.get("/")
def api_metadata(request: Request) -> dict:
    """API metadata: HSDS version, ORUK profile and where the OpenAPI description is."""
    base = str(request.base_url).rstrip("/")
    return {"version": "3.0", "profile": ORUK_PROFILE, "openapi_url": f"{base}/openapi.json"}


@router.get("/services")
def list_services(request: Request, flt: Filters, page: Page = 1, per_page: PerPage = None) -> dict:
    """Services (one-to-one fields and their organisation), filtered, a page at a time."""
    size = _per_page(request, per_page)
    with request.app.state.pool.transaction() as cur:
        total, contents = q.count_and_page_services(cur, flt, page, size)
    return page_envelope(contents, total, page, size)


@router.get("/services/{service_id}")
def get_service(request: Request, service_id: UUID) -> dict:
    """One service, fully nested."""
    with request.app.state.pool.transaction() as cur:
        found = q.full_services(cur, [service_id])
    if not found:
        raise HTTPException(404, f"no service {service_id}")
    return found[0]


@router.get("/service_at_locations")
def list_service_at_locations(
    request: Request, flt: Filters, page: Page = 1, per_page: PerPage = None,
    postcode: Annotated[str | None, Query(max_length=10)] = None,
    proximity: Annotated[float | None, Query(gt=0, le=200_000, description="metres from the postcode")] = None,
) -> dict:
    """Services at locations; with `postcode`, nearest first (`distance` in metres), within `proximity`."""
    size = _per_page(request, per_page)
    with request.app.state.pool.transaction() as cur:
        point = _point(cur, postcode, proximity)
        total, contents = q.count_and_page_service_at_locations(cur, flt, point, page, size)
    return page_envelope(contents, total, page, size)


def _point(cur, postcode: str | None, proximity: float | None) -> q.Point | None:
    if postcode is None:
        if proximity is not None:
            raise ValidationFailed.field(("query", "proximity"), "proximity needs a postcode", "missing")
        return None
    code = outcode(postcode)
    centroid = q.postcode_centroid(cur, code) if code else None
    if centroid is None:
        raise ValidationFailed.field(("query", "postcode"), f"unknown postcode {postcode!r}", "value_error.postcode")
    return q.Point(centroid[0], centroid[1], proximity)


@router.get("/service_at_locations/{sal_id}")
def get_service_at_location(request: Request, sal_id: UUID) -> dict:
    """One service at a location, with its location and its fully nested service."""
    with request.app.state.pool.transaction() as cur:
        found = q.service_at_locations(cur, sal_ids=[sal_id])
        if not found:
            raise HTTPException(404, f"no service_at_location {sal_id}")
        service = q.full_services(cur, [found[0]["service_id"]])[0]
    return found[0] | {"service": service}


@router.get("/taxonomies")
def list_taxonomies(request: Request, page: Page = 1, per_page: PerPage = None) -> dict:
    """Taxonomies, a page at a time."""
    return _plain_page(request, "taxonomy", page, per_page)


@router.get("/taxonomies/{taxonomy_id}")
def get_taxonomy(request: Request, taxonomy_id: UUID) -> dict:
    """One taxonomy with its terms."""
    with request.app.state.pool.transaction() as cur:
        found = q.one(cur, "taxonomy", taxonomy_id)
        if found is None:
            raise HTTPException(404, f"no taxonomy {taxonomy_id}")
        return found | {"taxonomy_terms": q.taxonomy_terms_of(cur, found["id"])}


@router.get("/taxonomy_terms")
def list_taxonomy_terms(request: Request, page: Page = 1, per_page: PerPage = None) -> dict:
    """Taxonomy terms, a page at a time."""
    return _plain_page(request, "taxonomy_term", page, per_page)


@router.get("/taxonomy_terms/{term_id}")
def get_taxonomy_term(request: Request, term_id: UUID) -> dict:
    """One taxonomy term."""
    with request.app.state.pool.transaction() as cur:
        found = q.one(cur, "taxonomy_term", term_id)
    if found is None:
        raise HTTPException(404, f"no taxonomy term {term_id}")
    return found


@router.get("/organizations")
def list_organizations(request: Request, page: Page = 1, per_page: PerPage = None) -> dict:
    """Organisations (one-to-one fields), a page at a time."""
    return _plain_page(request, "organization", page, per_page)


@router.get("/organizations/{organization_id}")
def get_organization(request: Request, organization_id: UUID) -> dict:
    """One organisation with its services fully nested."""
    with request.app.state.pool.transaction() as cur:
        found = q.one(cur, "organization", organization_id)
        if found is None:
            raise HTTPException(404, f"no organization {organization_id}")
        services = q.full_services(cur, q.service_ids_of_organization(cur, found["id"]))
    return found | {"services": [{k: v for k, v in s.items() if k != "organization"} for s in services]}


def _plain_page(request: Request, table: str, page: int, per_page: int | None) -> dict:
    size = _per_page(request, per_page)
    with request.app.state.pool.transaction() as cur:
        total, contents = q.page_of(cur, table, page, size)
    return page_envelope(contents, total, page, size)
