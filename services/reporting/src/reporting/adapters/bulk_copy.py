"""The rebuild's bulk writes: COPY into the emptied tables instead of multi-row INSERTs, and the
tables' secondary indexes dropped while they fill and built once at the end.

Only the rebuild uses this (the live consumer and uploads keep `projections.apply_events`' INSERT
... ON CONFLICT): COPY has no ON CONFLICT, so the rebuild copies a batch's `processed_events` ids
first and, if one was seen before (a relay re-send earlier in the topic), applies that batch the
consumer's way instead. The rows are the same as `projections._insert_facts/_insert_activity` write
(the rebuild-equals-live test compares every table).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

import pydantic_core

from contracts import Envelope
from reporting.adapters.projections import FACT_TYPES, sanitised

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})

# Tables the rebuild fills in bulk: their secondary indexes wait until the end.
BULK_TABLES = ("facts", "activity_rows", "stars", "referral_progress", "case_holders", "linkages", "processed_events")


def _text(value: Any) -> str:
    """One field in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return value.hex  # PostgreSQL reads a uuid without its hyphens too; `str` costs twice as much
    if isinstance(value, int):
        return str(value)
    return str(value).translate(_ESCAPES)


def copy_rows(cur: Any, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    return copy_lines(cur, table, columns, ("\t".join(map(_text, row)) for row in rows))


def copy_lines(cur: Any, table: str, columns: Sequence[str], lines: Iterable[str]) -> int:
    """COPY lines already in COPY's text format (fields joined by tabs, escaped)."""
    buffer = io.StringIO()
    n = 0
    for line in lines:
        buffer.write(line)
        buffer.write("\n")
        n += 1
    if n:
        buffer.seek(0)
        cur.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)  # our own names, never input
    return n


def copy_processed(cur: Any, consumer: str, items: Sequence[tuple[Any, Envelope]]) -> None:
    """The batch's event ids (unique within it): raises UniqueViolation if one was applied before."""
    prefix = {topic: f"{_text(consumer)}\t{_text(topic)}" for topic in {m.topic for m, _ in items}}
    copy_lines(
        cur,
        "processed_events",
        ("consumer", "topic", "event_id", "kafka_partition", "kafka_offset"),
        (f"{prefix[m.topic]}\t{e.event_id.hex}\t{m.partition}\t{m.offset}" for m, e in items),
    )


def payload_json(payload: dict[str, Any]) -> str:
    """The payload as the facts keep it (`sanitised`), in JSON escaped for COPY's text format.
    Serialised by pydantic-core (Rust; `json.dumps` was most of a fact's line); jsonb keeps the same
    value whatever the spelling (non-ASCII raw or escaped, numbers' exponents). NaN and Infinity are
    written as such, so PostgreSQL refuses them as it refuses the consumer's `json.dumps`."""
    return pydantic_core.to_json(sanitised(payload), inf_nan_mode="constants").decode().replace("\\", "\\\\")


def copy_inserts(cur: Any, events: Sequence[tuple[Envelope, Any]]) -> None:
    """What `apply_events(..., copied=True)` leaves out: the rows it would only insert (facts,
    hospital activity rows, Stars, linkages). A row whose key is there already (the same Star or
    linkage in two events) raises UniqueViolation, and the rebuild applies that batch the consumer's
    way (ON CONFLICT DO NOTHING). Lines built by hand for speed: ids (uuids as 32 hex digits),
    numbers, timestamps, enums' values and the fact types (constants) need no escaping; JSON has no
    raw tab or newline, only backslashes to double."""
    copy_lines(
        cur,
        "facts",
        ("event_id", "event_type", "schema_version", "case_id", "occurred_at", "recorded_at", "payload"),
        (
            f"{e.event_id.hex}\t{e.event_type}\t{e.schema_version}\t{e.aggregate_id.translate(_ESCAPES)}"
            f"\t{e.occurred_at.isoformat()}\t{e.recorded_at.isoformat()}\t{payload_json(e.payload)}"
            for e, p in events
            if p is not None and e.event_type in FACT_TYPES
        ),
    )
    copy_lines(
        cur,
        "activity_rows",
        (
            "row_id",
            "upload_id",
            "line",
            "patient_id",
            "activity_type",
            "activity_date",
            "cost_pence",
            "recorded_at",
            "event_id",
        ),
        (
            f"{r.row_id.hex}\t{upload}\t{r.line}\t{r.patient_id.hex}\t{r.activity_type.value}"
            f"\t{r.activity_date.isoformat()}\t{int(r.cost_pence)}\t{recorded}\t{event}"
            for e, p, upload, recorded, event in (
                (e, p, p.upload_id.hex, e.recorded_at.isoformat(), e.event_id.hex)
                for e, p in events
                if p is not None and e.event_type == "HospitalActivityUploaded"
            )
            for r in p.rows
        ),
    )
    copy_lines(
        cur,
        "stars",
        (
            "star_id",
            "case_id",
            "patient_id",
            "provider_id",
            "link_worker_id",
            "taken_on",
            "scores",
            "total",
            "recorded_at",
        ),
        (
            f"{p.star_id.hex}\t{p.case_id.hex}\t{p.patient_id.hex}\t{p.provider_id.hex}\t{p.link_worker_id.hex}"
            f"\t{p.taken_on.isoformat()}\t{p.scores.model_dump_json()}\t{p.total}\t{e.recorded_at.isoformat()}"
            for e, p in events
            if p is not None and e.event_type == "WellbeingStarRecorded"
        ),
    )
    copy_lines(
        cur,
        "linkages",
        ("linkage_id", "case_id", "provider_id", "category", "status", "made_on"),
        (
            f"{p.linkage_id.hex}\t{p.case_id.hex}\t{p.provider_id.hex}\t{p.category.value}"
            f"\tsuggested\t{p.made_on.isoformat()}"
            for e, p in events
            if p is not None and e.event_type == "LinkageMade"
        ),
    )


def drop_secondary_indexes(cur: Any, tables: Sequence[str]) -> list[str]:
    """Drop the indexes of these tables that back no constraint (keys stay: they catch duplicates);
    returns their definitions for `create_indexes`. In the rebuild's transaction: a failed rebuild
    rolls the drop back with the rest."""
    cur.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i"
        " WHERE i.indrelid = ANY(%s::regclass[])"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        (list(tables),),
    )
    found = cur.fetchall()
    for name, _ in found:
        cur.execute(f"DROP INDEX {name}")  # a name PostgreSQL just gave us
    return [definition for _, definition in found]


def create_indexes(cur: Any, definitions: Sequence[str]) -> None:
    for definition in definitions:
        cur.execute(definition)
