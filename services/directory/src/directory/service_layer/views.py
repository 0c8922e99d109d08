"""The ORUK 3.0 documents the read API answers with, from the read model (in the caller's
transaction): pages in ORUK's envelope, details fully nested; an unknown id is NotFound (404)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from directory.adapters import oruk_queries as q
from directory.domain.errors import NotFound, ValidationFailed
from directory.domain.geography import outcode
from directory.domain.paging import page_envelope
from directory.domain.search import Point, ServiceFilter

Document = dict[str, Any]


def services_page(cur: Any, flt: ServiceFilter, page: int, size: int) -> Document:
    total, contents = q.count_and_page_services(cur, flt, page, size)
    return page_envelope(contents, total, page, size)


def service(cur: Any, service_id: UUID) -> Document:
    found = q.full_services(cur, [service_id])
    if not found:
        raise NotFound(f"no service {service_id}")
    return found[0]


def service_at_locations_page(
    cur: Any, flt: ServiceFilter, postcode: str | None, proximity: float | None, page: int, size: int
) -> Document:
    total, contents = q.count_and_page_service_at_locations(cur, flt, _point(cur, postcode, proximity), page, size)
    return page_envelope(contents, total, page, size)


def _point(cur: Any, postcode: str | None, proximity: float | None) -> Point | None:
    if postcode is None:
        if proximity is not None:
            raise ValidationFailed.field(("query", "proximity"), "proximity needs a postcode", "missing")
        return None
    code = outcode(postcode)
    centroid = q.postcode_centroid(cur, code) if code else None
    if centroid is None:
        raise ValidationFailed.field(("query", "postcode"), f"unknown postcode {postcode!r}", "value_error.postcode")
    return Point(centroid[0], centroid[1], proximity)


def service_at_location(cur: Any, sal_id: UUID) -> Document:
    found = q.service_at_locations(cur, sal_ids=[sal_id])
    if not found:
        raise NotFound(f"no service_at_location {sal_id}")
    return found[0] | {"service": q.full_services(cur, [found[0]["service_id"]])[0]}


def page_of(cur: Any, table: str, page: int, size: int) -> Document:
    """Taxonomies, taxonomy terms or organisations (one-to-one fields), a page at a time."""
    total, contents = q.page_of(cur, table, page, size)
    return page_envelope(contents, total, page, size)


def taxonomy(cur: Any, taxonomy_id: UUID) -> Document:
    found = _one(cur, "taxonomy", taxonomy_id)
    return found | {"taxonomy_terms": q.taxonomy_terms_of(cur, found["id"])}


def taxonomy_term(cur: Any, term_id: UUID) -> Document:
    return _one(cur, "taxonomy_term", term_id, "taxonomy term")


def organization(cur: Any, organization_id: UUID) -> Document:
    """One-to-one fields (what a write answers with)."""
    return _one(cur, "organization", organization_id)


def organization_with_services(cur: Any, organization_id: UUID) -> Document:
    found = organization(cur, organization_id)
    services = q.full_services(cur, q.service_ids_of_organization(cur, found["id"]))
    return found | {"services": [{k: v for k, v in s.items() if k != "organization"} for s in services]}


def _one(cur: Any, table: str, id_: UUID, what: str | None = None) -> Document:
    found = q.one(cur, table, id_)
    if found is None:
        raise NotFound(f"no {what or table} {id_}")
    return found
