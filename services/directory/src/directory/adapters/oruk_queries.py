"""Reads the ORUK read model back out as ORUK 3.0 JSON documents (null fields left out)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

from directory.domain.geography import EARTH_RADIUS_METRES
from directory.domain.search import Point, ServiceFilter

Row = dict[str, Any]  # one ORUK document (or part of one), as the database renders it

_DESCENDANTS = """(WITH RECURSIVE down(id) AS (SELECT %s::uuid UNION ALL
                    SELECT t.id FROM taxonomy_term t JOIN down ON t.parent_id = down.id) SELECT id FROM down)"""


def service_conditions(flt: ServiceFilter) -> tuple[str, list[Any]]:
    """SQL conditions on `s` (the service table) and their parameters."""
    conds, params = ["TRUE"], list[Any]()
    if flt.search:
        conds.append("(s.name ILIKE %s OR coalesce(s.description, '') ILIKE %s)")
        like = "%" + flt.search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        params += [like, like]
    if flt.taxonomy_term_id:
        conds.append(
            f"EXISTS (SELECT 1 FROM attribute a WHERE a.link_id = s.id AND a.taxonomy_term_id IN {_DESCENDANTS})"
        )
        params.append(flt.taxonomy_term_id)
    if flt.taxonomy_id:
        conds.append(
            "EXISTS (SELECT 1 FROM attribute a JOIN taxonomy_term t ON t.id = a.taxonomy_term_id"
            " WHERE a.link_id = s.id AND t.taxonomy_id = %s)"
        )
        params.append(flt.taxonomy_id)
    for column, op, value in (
        ("minimum_age", ">=", flt.minimum_age),
        ("maximum_age", "<=", flt.maximum_age),
        ("last_modified", ">=", flt.modified_after),
    ):
        if value is not None:
            conds.append(f"s.{column} {op} %s")
            params.append(value)
    if flt.organization_id:
        conds.append("s.organization_id = %s")
        params.append(flt.organization_id)
    schedule_conds, schedule_params = _schedule_conditions(flt)
    if schedule_conds:
        conds.append(
            "EXISTS (SELECT 1 FROM schedule sc WHERE sc.service_id = s.id AND " + " AND ".join(schedule_conds) + ")"
        )
        params += schedule_params
    return " AND ".join(conds), params


def _schedule_conditions(flt: ServiceFilter) -> tuple[list[str], list[Any]]:
    conds, params = list[str](), list[Any]()
    if flt.day:
        conds.append("sc.byday ~ %s")
        params.append(f"(^|,)-?[1-5]?{flt.day}(,|$)")
    if flt.start_time:
        conds.append("sc.opens_at >= %s")
        params.append(flt.start_time)
    if flt.end_time:
        conds.append("sc.closes_at <= %s")
        params.append(flt.end_time)
    return conds, params


def _rows(cur: Any, sql: str, params: Sequence[Any] = ()) -> list[Row]:
    cur.execute(sql, params)
    return [row[0] for row in cur.fetchall()]


def _json(table: str, alias: str = "t", drop: Sequence[str] = ()) -> str:
    minus = "".join(f" - '{c}'" for c in drop)
    return f"jsonb_strip_nulls(to_jsonb({alias}){minus})"


def _group(rows: list[Row], key: str) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return grouped


# ---- services -------------------------------------------------------------------------------------


def count_and_page_services(cur: Any, flt: ServiceFilter, page: int, per_page: int) -> tuple[int, list[Row]]:
    where, params = service_conditions(flt)
    cur.execute(f"SELECT count(*) FROM service s WHERE {where}", params)
    total = cur.fetchone()[0]
    rows = _rows(
        cur,
        f"SELECT {_json('service', 's')} FROM service s WHERE {where} ORDER BY s.name, s.id LIMIT %s OFFSET %s",
        [*params, per_page, (page - 1) * per_page],
    )
    orgs = organizations_by_id(cur, {r["organization_id"] for r in rows})
    return total, [r | {"organization": orgs[r["organization_id"]]} for r in rows]


def organizations_by_id(cur: Any, ids: Iterable[str]) -> dict[str, Row]:
    rows = _rows(cur, f"SELECT {_json('organization')} FROM organization t WHERE id = ANY(%s::uuid[])", ([*ids],))
    return {r["id"]: r for r in rows}


def full_services(cur: Any, service_ids: Sequence[str | UUID]) -> list[Row]:
    """Fully nested ORUK services, in the order of `service_ids` (unknown ids are skipped)."""
    ids = [str(i) for i in service_ids]
    services = _rows(cur, f"SELECT {_json('service', 's')} FROM service s WHERE id = ANY(%s::uuid[])", (ids,))
    if not services:
        return []
    orgs = organizations_by_id(cur, {s["organization_id"] for s in services})
    children = {
        table: _group(
            _rows(cur, f"SELECT {_json(table)} FROM {table} t WHERE service_id = ANY(%s::uuid[])", (ids,)), "service_id"
        )
        for table in ("schedule", "service_area", "language", "funding")
    }
    costs = _group(
        _rows(
            cur,
            "SELECT jsonb_strip_nulls(to_jsonb(t) - 'amount_pence' || jsonb_build_object("
            "'amount', t.amount_pence::numeric / 100)) FROM cost_option t"
            " WHERE service_id = ANY(%s::uuid[])",
            (ids,),
        ),
        "service_id",
    )
    contacts = _group(_contacts(cur, ids), "service_id")
    attributes = _group(_attributes(cur, ids), "link_id")
    sals = _group(service_at_locations(cur, ids), "service_id")
    by_id = {
        s["id"]: s
        | {
            "organization": orgs[s["organization_id"]],
            "schedules": children["schedule"][s["id"]],
            "service_areas": children["service_area"][s["id"]],
            "languages": children["language"][s["id"]],
            "funding": children["funding"][s["id"]],
            "cost_options": costs[s["id"]],
            "contacts": contacts[s["id"]],
            "attributes": attributes[s["id"]],
            "service_at_locations": sals[s["id"]],
        }
        for s in services
    }
    return [by_id[i] for i in ids if i in by_id]


def _contacts(cur: Any, service_ids: list[str]) -> list[Row]:
    contacts = _rows(
        cur,
        f"SELECT {_json('contact')} FROM contact t WHERE service_id = ANY(%s::uuid[]) ORDER BY name",
        (service_ids,),
    )
    phones = _group(
        _rows(
            cur,
            f"SELECT {_json('phone')} FROM phone t WHERE contact_id = ANY(%s::uuid[])",
            ([c["id"] for c in contacts],),
        ),
        "contact_id",
    )
    return [c | {"phones": phones[c["id"]]} for c in contacts]


def _attributes(cur: Any, link_ids: list[str]) -> list[Row]:
    return _rows(
        cur,
        f"SELECT {_json('attribute', 'a')} || jsonb_build_object('taxonomy_term', {_json('taxonomy_term')})"
        " FROM attribute a JOIN taxonomy_term t ON t.id = a.taxonomy_term_id"
        " WHERE a.link_id = ANY(%s::uuid[]) ORDER BY t.name",
        (link_ids,),
    )


def service_at_locations(
    cur: Any, service_ids: Sequence[str | UUID] | None = None, sal_ids: Sequence[str | UUID] = ()
) -> list[Row]:
    """Service-at-location records with their nested location (addresses, accessibility), of the
    services `service_ids` if given, else the records `sal_ids`."""
    column, ids = ("service_id", service_ids) if service_ids is not None else ("id", sal_ids)
    sals = _rows(
        cur,
        f"SELECT {_json('service_at_location')} FROM service_at_location t WHERE {column} = ANY(%s::uuid[])",
        ([str(i) for i in ids],),
    )
    locations = locations_by_id(cur, {s["location_id"] for s in sals})
    return [s | {"location": locations[s["location_id"]]} for s in sals]


def locations_by_id(cur: Any, ids: Iterable[str]) -> dict[str, Row]:
    ids = [*ids]
    locations = _rows(cur, f"SELECT {_json('location')} FROM location t WHERE id = ANY(%s::uuid[])", (ids,))
    addresses = _group(
        _rows(cur, f"SELECT {_json('address')} FROM address t WHERE location_id = ANY(%s::uuid[])", (ids,)),
        "location_id",
    )
    access = _group(
        _rows(cur, f"SELECT {_json('accessibility')} FROM accessibility t WHERE location_id = ANY(%s::uuid[])", (ids,)),
        "location_id",
    )
    return {
        loc["id"]: loc | {"addresses": addresses[loc["id"]], "accessibility": access[loc["id"]]} for loc in locations
    }


# ---- service at location list -----------------------------------------------------------------------

_DISTANCE = f"""(2 * {EARTH_RADIUS_METRES} * asin(sqrt(power(sin(radians(l.latitude - %(lat)s) / 2), 2)
               + cos(radians(%(lat)s)) * cos(radians(l.latitude)) * power(sin(radians(l.longitude - %(lon)s) / 2), 2))))"""


def count_and_page_service_at_locations(
    cur: Any, flt: ServiceFilter, point: Point | None, page: int, per_page: int
) -> tuple[int, list[Row]]:
    where, params = service_conditions(flt)
    named = {f"p{i}": p for i, p in enumerate(params)}  # this query uses named parameters
    where = where.replace("%s", "{}").format(*[f"%(p{i})s" for i in range(len(params))])
    distance, order = "NULL::double precision", "s.name, sal.id"
    if point is not None:
        named |= {"lat": point.latitude, "lon": point.longitude}
        distance, order = _DISTANCE, "distance, s.name, sal.id"
        if point.within_metres is not None:
            where += f" AND l.latitude IS NOT NULL AND {_DISTANCE} <= %(within)s"
            named["within"] = point.within_metres
    base = (
        f"FROM service_at_location sal JOIN service s ON s.id = sal.service_id"
        f" JOIN location l ON l.id = sal.location_id WHERE {where}"
    )
    cur.execute(f"SELECT count(*) {base}", named)
    total = cur.fetchone()[0]
    cur.execute(
        f"SELECT sal.id, {distance} AS distance {base} ORDER BY {order} NULLS LAST LIMIT %(limit)s OFFSET %(offset)s",
        named | {"limit": per_page, "offset": (page - 1) * per_page},
    )
    found = cur.fetchall()
    docs = {d["id"]: d for d in service_at_locations(cur, sal_ids=[r[0] for r in found])}
    services = {}
    if docs:
        ids = list({d["service_id"] for d in docs.values()})
        rows = _rows(cur, f"SELECT {_json('service', 's')} FROM service s WHERE id = ANY(%s::uuid[])", (ids,))
        orgs = organizations_by_id(cur, {r["organization_id"] for r in rows})
        services = {r["id"]: r | {"organization": orgs[r["organization_id"]]} for r in rows}
    contents = []
    for sal_id, metres in found:
        doc = docs[str(sal_id)] | {"service": services[docs[str(sal_id)]["service_id"]]}
        if metres is not None:
            doc["distance"] = round(metres)
        contents.append(doc)
    return total, contents


# ---- taxonomies and organisations -------------------------------------------------------------------


def page_of(cur: Any, table: str, page: int, per_page: int) -> tuple[int, list[Row]]:
    cur.execute(f"SELECT count(*) FROM {table}")
    total = cur.fetchone()[0]
    rows = _rows(
        cur,
        f"SELECT {_json(table)} FROM {table} t ORDER BY name, id LIMIT %s OFFSET %s",
        (per_page, (page - 1) * per_page),
    )
    return total, rows


def one(cur: Any, table: str, id_: UUID) -> Row | None:
    rows = _rows(cur, f"SELECT {_json(table)} FROM {table} t WHERE id = %s", (id_,))
    return rows[0] if rows else None


def taxonomy_terms_of(cur: Any, taxonomy_id: str) -> list[Row]:
    return _rows(
        cur,
        f"SELECT {_json('taxonomy_term')} FROM taxonomy_term t WHERE taxonomy_id = %s ORDER BY name",
        (taxonomy_id,),
    )


def service_ids_of_organization(cur: Any, organization_id: str) -> list[str]:
    cur.execute("SELECT id FROM service WHERE organization_id = %s ORDER BY name, id", (organization_id,))
    return [str(r[0]) for r in cur.fetchall()]


def postcode_centroid(cur: Any, outcode: str) -> tuple[float, float] | None:
    cur.execute("SELECT latitude, longitude FROM postcode_centroid WHERE outcode = %s", (outcode,))
    row = cur.fetchone()
    return (row[0], row[1]) if row else None
