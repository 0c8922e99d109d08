"""Writes the ORUK read-model tables from a ServiceIn / OrganizationIn, inside the caller's transaction.

A service's children (contacts, schedules, costs, ...) are replaced wholesale on every write;
locations are shared records, upserted by id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg2.extras

from directory.domain.inputs import LocationIn, OrganizationIn, ServiceIn

_CHILD_TABLES = (
    "attribute",
    "service_at_location",
    "contact",
    "schedule",
    "cost_option",
    "funding",
    "language",
    "service_area",
)


def _insert(cur: Any, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], upsert: bool = False) -> None:
    rows = list(rows)
    if not rows:
        return
    cols = ", ".join(f'"{c}"' for c in columns)
    conflict = ""
    if upsert:
        conflict = " ON CONFLICT (id) DO UPDATE SET " + ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in columns[1:])
    psycopg2.extras.execute_values(cur, f"INSERT INTO {table} ({cols}) VALUES %s{conflict}", rows)


def _fields(model: object, names: Sequence[str]) -> tuple[Any, ...]:
    return tuple(getattr(model, n) for n in names)


ORGANIZATION_COLUMNS = ("id", "name", "description", "email", "website", "logo", "uri", "parent_organization_id")
SERVICE_COLUMNS = (
    "id",
    "organization_id",
    "name",
    "description",
    "url",
    "email",
    "status",
    "fees",
    "accreditations",
    "minimum_age",
    "maximum_age",
    "assured_date",
    "assurer_email",
    "alert",
)
LOCATION_COLUMNS = (
    "id",
    "location_type",
    "name",
    "description",
    "latitude",
    "longitude",
    "external_identifier",
    "external_identifier_type",
)
ADDRESS_COLUMNS = (
    "id",
    "attention",
    "address_1",
    "city",
    "region",
    "state_province",
    "postal_code",
    "country",
    "address_type",
)
ACCESSIBILITY_COLUMNS = ("id", "description", "details", "url", "accessibility")
SCHEDULE_COLUMNS = (
    "id",
    "service_at_location_id",
    "valid_from",
    "valid_to",
    "dtstart",
    "freq",
    "interval",
    "byday",
    "bymonthday",
    "description",
    "opens_at",
    "closes_at",
    "schedule_link",
    "attending_type",
    "notes",
)


def save_organization(cur: Any, org: OrganizationIn) -> None:
    _insert(cur, "organization", ORGANIZATION_COLUMNS, [_fields(org, ORGANIZATION_COLUMNS)], upsert=True)


def save_service(cur: Any, service: ServiceIn, last_modified: datetime) -> None:
    row = _fields(service, SERVICE_COLUMNS) + (last_modified,)
    _insert(cur, "service", (*SERVICE_COLUMNS, "last_modified"), [row], upsert=True)
    for table in _CHILD_TABLES:
        key = "link_id" if table == "attribute" else "service_id"
        cur.execute(f"DELETE FROM {table} WHERE {key} = %s", (service.id,))
    sid = service.id
    _insert(
        cur,
        "attribute",
        ("id", "link_id", "link_type", "taxonomy_term_id"),
        [(a.id, sid, "service", a.taxonomy_term_id) for a in service.attributes],
    )
    for sal in service.service_at_locations:
        save_location(cur, sal.location)
    _insert(
        cur,
        "service_at_location",
        ("id", "service_id", "location_id"),
        [(s.id, sid, s.location.id) for s in service.service_at_locations],
    )
    _insert(
        cur, "contact", ("id", "service_id", "name", "title"), [(c.id, sid, c.name, c.title) for c in service.contacts]
    )
    _insert(
        cur,
        "phone",
        ("id", "contact_id", "number", "description"),
        [(p.id, c.id, p.number, p.description) for c in service.contacts for p in c.phones],
    )
    _insert(
        cur,
        "schedule",
        ("service_id", *SCHEDULE_COLUMNS),
        [(sid, *_fields(s, SCHEDULE_COLUMNS)) for s in service.schedules],
    )
    _insert(
        cur,
        "cost_option",
        ("id", "service_id", "valid_from", "valid_to", "option", "amount_pence", "currency", "amount_description"),
        [
            (c.id, sid, c.valid_from, c.valid_to, c.option, c.amount_pence, c.currency, c.amount_description)
            for c in service.cost_options
        ],
    )
    _insert(cur, "funding", ("id", "service_id", "source"), [(f.id, sid, f.source) for f in service.funding])
    _insert(
        cur, "language", ("id", "service_id", "name", "code"), [(x.id, sid, x.name, x.code) for x in service.languages]
    )
    _insert(
        cur,
        "service_area",
        ("id", "service_id", "name", "extent", "extent_type", "uri", "service_area"),
        [(a.id, sid, a.name, a.extent, a.extent_type, a.uri, a.service_area) for a in service.service_areas],
    )


def save_location(cur: Any, location: LocationIn) -> None:
    _insert(cur, "location", LOCATION_COLUMNS, [_fields(location, LOCATION_COLUMNS)], upsert=True)
    cur.execute("DELETE FROM address WHERE location_id = %s", (location.id,))
    cur.execute("DELETE FROM accessibility WHERE location_id = %s", (location.id,))
    _insert(
        cur,
        "address",
        ("location_id", *ADDRESS_COLUMNS),
        [(location.id, *_fields(a, ADDRESS_COLUMNS)) for a in location.addresses],
    )
    _insert(
        cur,
        "accessibility",
        ("location_id", *ACCESSIBILITY_COLUMNS),
        [(location.id, *_fields(a, ACCESSIBILITY_COLUMNS)) for a in location.accessibility],
    )


def save_service_status(cur: Any, service_id: UUID, status: str, last_modified: datetime) -> None:
    cur.execute("UPDATE service SET status = %s, last_modified = %s WHERE id = %s", (status, last_modified, service_id))


def organization_exists(cur: Any, organization_id: UUID) -> bool:
    cur.execute("SELECT 1 FROM organization WHERE id = %s", (organization_id,))
    return cur.fetchone() is not None


def term_codes(cur: Any, term_ids: Sequence[UUID]) -> dict[UUID, list[str]]:
    """For each known term id: its own `term` code and those of its ancestors (unknown ids absent)."""
    if not term_ids:
        return {}
    cur.execute(
        """WITH RECURSIVE up(start_id, id, parent_id, term) AS (
               SELECT id, id, parent_id, term FROM taxonomy_term WHERE id = ANY(%s::uuid[])
               UNION ALL
               SELECT up.start_id, t.id, t.parent_id, t.term FROM taxonomy_term t JOIN up ON t.id = up.parent_id)
           SELECT start_id, array_remove(array_agg(term), NULL) FROM up GROUP BY start_id""",
        ([str(t) for t in term_ids],),
    )
    return {row[0]: row[1] for row in cur.fetchall()}


def save_taxonomy(cur: Any, taxonomy: dict[str, Any]) -> None:
    cols = ("id", "name", "description", "uri", "version")
    _insert(cur, "taxonomy", cols, [tuple(taxonomy.get(c) for c in cols)], upsert=True)


def save_taxonomy_term(cur: Any, term: dict[str, Any]) -> None:
    cols = ("id", "name", "description", "parent_id", "taxonomy", "taxonomy_id", "term_uri", "term")
    _insert(cur, "taxonomy_term", cols, [tuple(term.get(c) for c in cols)], upsert=True)


# ---- nested ids: a write reaches only its own service's children (docs/security.md) ------------------

# (the body's list, the table, the column that says whose row it is)
_OWNED_CHILDREN = (
    ("attributes", "attribute", "link_id"),
    ("service_at_locations", "service_at_location", "service_id"),
    ("contacts", "contact", "service_id"),
    ("schedules", "schedule", "service_id"),
    ("cost_options", "cost_option", "service_id"),
    ("funding", "funding", "service_id"),
    ("languages", "language", "service_id"),
    ("service_areas", "service_area", "service_id"),
)


def _held_elsewhere(cur: Any, sql: str, ids: Sequence[UUID], owner: UUID) -> set[UUID]:
    if not ids:
        return set()
    cur.execute(sql, ([str(i) for i in ids], owner))
    return {row[0] for row in cur.fetchall()}


def nested_ids_held_elsewhere(cur: Any, service: ServiceIn) -> list[dict[str, Any]]:
    """Every child id in `service` that is already another service's row (or a phone of another
    contact, an address of another location), as field errors: a write must not take it over."""
    errors: list[dict[str, Any]] = []
    for field, table, owner in _OWNED_CHILDREN:
        children = getattr(service, field)
        taken = _held_elsewhere(
            cur,
            f"SELECT id FROM {table} WHERE id = ANY(%s::uuid[]) AND {owner} <> %s",
            [c.id for c in children],
            service.id,
        )
        errors += [_taken(field, i) for i, c in enumerate(children) if c.id in taken]
    for i, contact in enumerate(service.contacts):
        taken = _held_elsewhere(
            cur,
            "SELECT id FROM phone WHERE id = ANY(%s::uuid[]) AND contact_id <> %s",
            [p.id for p in contact.phones],
            contact.id,
        )
        errors += [_taken(f"contacts.{i}.phones", j) for j, p in enumerate(contact.phones) if p.id in taken]
    for i, sal in enumerate(service.service_at_locations):
        for part, table in (("addresses", "address"), ("accessibility", "accessibility")):
            rows = getattr(sal.location, part)
            taken = _held_elsewhere(
                cur,
                f"SELECT id FROM {table} WHERE id = ANY(%s::uuid[]) AND location_id <> %s",
                [r.id for r in rows],
                sal.location.id,
            )
            errors += [
                _taken(f"service_at_locations.{i}.location.{part}", j) for j, r in enumerate(rows) if r.id in taken
            ]
    return errors


def locations_of_other_organisations(cur: Any, location_ids: Sequence[UUID], organization_id: UUID) -> set[UUID]:
    """The locations among `location_ids` that a service of another organisation uses."""
    return _held_elsewhere(
        cur,
        "SELECT DISTINCT sal.location_id FROM service_at_location sal JOIN service s ON s.id = sal.service_id"
        " WHERE sal.location_id = ANY(%s::uuid[]) AND s.organization_id <> %s",
        location_ids,
        organization_id,
    )


def _taken(path: str, index: int) -> dict[str, Any]:
    loc: list[str | int] = ["body", *[int(p) if p.isdigit() else p for p in path.split(".")], index, "id"]
    return {
        "loc": loc,
        "msg": "this id belongs to another record: leave it out to get a new one",
        "type": "value_error",
    }
