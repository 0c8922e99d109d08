"""The materialised ledger's SQL: each unit's versions (`ledger_lines`), each case's cohort membership
(`cohort_members`), the inputs a unit is recomputed from, and the indexed questions (payable at
(D, T), one line at (D, T))."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

import psycopg2.extras

from reporting.adapters.fact_store import LEDGER_FACT_TYPES, _fact
from reporting.domain import ActivityRow, ActivityType, ComparisonCost, Fact, Quarter
from reporting.domain.projection import MemberVersion, Record, Version, member_from_record, payable_from

_FACT_COLUMNS = "event_id, event_type, schema_version, case_id, occurred_at, recorded_at, payload"


def lock(cur: Any) -> None:
    """Writers of the projection take turns (the consumer, uploads): a unit is recomputed from what
    the earlier writer committed."""
    cur.execute("SELECT pg_advisory_xact_lock(hashtext('reporting.ledger-projection'))")


def case_facts(cur: Any, case_ids: Sequence[str]) -> dict[str, list[Fact]]:
    """The ledger facts of these cases, each case's in recorded (then arrival) order, as `ledger_facts`."""
    cur.execute(
        f"SELECT {_FACT_COLUMNS} FROM facts WHERE case_id = ANY(%s) AND event_type = ANY(%s)"
        " ORDER BY case_id, recorded_at, seq",
        (list(case_ids), LEDGER_FACT_TYPES),
    )
    found: dict[str, list[Fact]] = {case_id: [] for case_id in case_ids}
    for row in cur.fetchall():
        found[row[3]].append(_fact(row))
    return found


def line_versions(cur: Any, unit: str, since: datetime) -> list[Version]:
    cur.execute(
        "SELECT item, record, valid_from, valid_to FROM ledger_lines"
        " WHERE unit = %s AND (valid_to IS NULL OR valid_to >= %s)",
        (unit, since),
    )
    return [Version(r[0], r[1], r[2], r[3]) for r in cur.fetchall()]


def replace_line_versions(cur: Any, unit: str, since: datetime, versions: Iterable[Version]) -> None:
    cur.execute("DELETE FROM ledger_lines WHERE unit = %s AND (valid_to IS NULL OR valid_to >= %s)", (unit, since))
    _insert_lines(cur, [_line_row(unit, v) for v in versions])


def _insert_lines(cur: Any, rows: list[tuple[Any, ...]]) -> None:
    if rows:
        psycopg2.extras.execute_values(
            cur,
            "INSERT INTO ledger_lines (unit, item, valid_from, valid_to, payable, kind, outcome_id, on_date,"
            " provider_id, record) VALUES %s",
            rows,
            template="(%s, %s, %s, %s, CASE WHEN %s::timestamptz IS NULL OR %s::timestamptz < %s::timestamptz"
            " THEN tstzrange(%s, %s, '[)') ELSE 'empty'::tstzrange END, %s, %s, %s, %s, %s)",
            page_size=1000,
        )


def _line_row(unit: str, v: Version) -> tuple[Any, ...]:
    kind = v.item[0]
    start = payable_from(v.item, v.record, v.valid_from)
    on = v.record["on"] if kind == "X" else v.record["achieved_on"]
    return (
        unit,
        v.item,
        v.valid_from,
        v.valid_to,
        v.valid_to,
        start,
        v.valid_to,
        start,
        v.valid_to,
        kind,
        v.record.get("outcome_id"),
        on,
        v.record.get("provider_id"),
        psycopg2.extras.Json(v.record),
    )


def line_versions_of(cur: Any, since: dict[str, datetime]) -> dict[str, list[Version]]:
    """Per unit, its stored versions that reach its `since` (valid_to NULL or >= since): one query."""
    found: dict[str, list[Version]] = {unit: [] for unit in since}
    if since:
        rows = psycopg2.extras.execute_values(
            cur,
            "SELECT l.unit, l.item, l.record, l.valid_from, l.valid_to FROM ledger_lines l"
            " JOIN (VALUES %s) AS s(unit, since) ON l.unit = s.unit"
            " WHERE l.valid_to IS NULL OR l.valid_to >= s.since",
            list(since.items()),
            template="(%s, %s::timestamptz)",
            page_size=10_000,
            fetch=True,
        )
        for r in rows:
            found[r[0]].append(Version(r[1], r[2], r[3], r[4]))
    return found


def replace_lines_of(cur: Any, since: dict[str, datetime], versions: dict[str, list[Version]]) -> None:
    """Per unit, its versions from `since` on replaced by these: one delete, one insert."""
    if since:
        psycopg2.extras.execute_values(
            cur,
            "DELETE FROM ledger_lines l USING (VALUES %s) AS s(unit, since)"
            " WHERE l.unit = s.unit AND (l.valid_to IS NULL OR l.valid_to >= s.since)",
            list(since.items()),
            template="(%s, %s::timestamptz)",
            page_size=10_000,
        )
    _insert_lines(cur, [_line_row(unit, v) for unit, mine in versions.items() for v in mine])


def member_versions_of(cur: Any, since: dict[str, datetime]) -> dict[str, list[Version]]:
    """Per case, its stored membership versions that reach its `since`: one query."""
    found: dict[str, list[Version]] = {case_id: [] for case_id in since}
    if since:
        rows = psycopg2.extras.execute_values(
            cur,
            "SELECT m.case_id, m.record, m.valid_from, m.valid_to FROM cohort_members m"
            " JOIN (VALUES %s) AS s(case_id, since) ON m.case_id = s.case_id"
            " WHERE m.valid_to IS NULL OR m.valid_to >= s.since",
            list(since.items()),
            template="(%s, %s::timestamptz)",
            page_size=10_000,
            fetch=True,
        )
        for r in rows:
            found[r[0]].append(Version("M", r[1], r[2], r[3]))
    return found


def replace_members_of(cur: Any, since: dict[str, datetime], versions: dict[str, list[Version]]) -> None:
    if since:
        psycopg2.extras.execute_values(
            cur,
            "DELETE FROM cohort_members m USING (VALUES %s) AS s(case_id, since)"
            " WHERE m.case_id = s.case_id AND (m.valid_to IS NULL OR m.valid_to >= s.since)",
            list(since.items()),
            template="(%s, %s::timestamptz)",
            page_size=10_000,
        )
    _insert_members(cur, [(case_id, v) for case_id, mine in versions.items() for v in mine])


def _insert_members(cur: Any, versions: list[tuple[str, Version]]) -> None:
    rows = [
        (case_id, v.valid_from, v.valid_to, v.record["cohort"], v.record["patient_id"], psycopg2.extras.Json(v.record))
        for case_id, v in versions
    ]
    if rows:
        psycopg2.extras.execute_values(
            cur,
            "INSERT INTO cohort_members (case_id, valid_from, valid_to, cohort, patient_id, record) VALUES %s",
            rows,
            page_size=1000,
        )


def cohort_member_versions(cur: Any, cohort: Quarter) -> list[MemberVersion]:
    cur.execute("SELECT case_id, record, valid_from, valid_to FROM cohort_members WHERE cohort = %s", (str(cohort),))
    return [MemberVersion(r[0], member_from_record(r[1])[1], r[2], r[3]) for r in cur.fetchall()]


def cohorts_of_patients(cur: Any, patient_ids: Iterable[UUID]) -> dict[UUID, set[Quarter]]:
    """Per patient, every cohort it was ever a member of (as known at any moment)."""
    cur.execute(
        "SELECT DISTINCT patient_id, cohort FROM cohort_members WHERE patient_id = ANY(%s)", (list(set(patient_ids)),)
    )
    found: dict[UUID, set[Quarter]] = {}
    for patient_id, cohort in cur.fetchall():
        found.setdefault(patient_id, set()).add(Quarter.parse(cohort))
    return found


def all_cohorts(cur: Any) -> set[Quarter]:
    cur.execute("SELECT DISTINCT cohort FROM cohort_members")
    return {Quarter.parse(r[0]) for r in cur.fetchall()}


def activity_of(cur: Any, patient_ids: Iterable[UUID], quarters: Sequence[Quarter]) -> list[ActivityRow]:
    """These patients' activity rows dated in these quarters (what a cohort's S lines can count)."""
    if not quarters:
        return []
    cur.execute(
        "SELECT row_id, upload_id, line, patient_id, activity_type, activity_date, cost_pence, recorded_at"
        " FROM activity_rows WHERE patient_id = ANY(%s) AND activity_date BETWEEN %s AND %s"
        " ORDER BY recorded_at, upload_id, line",
        (list(set(patient_ids)), min(q.first_day for q in quarters), max(q.last_day for q in quarters)),
    )
    return [ActivityRow(r[0], r[1], r[2], r[3], ActivityType(r[4]), r[5], int(r[6]), r[7]) for r in cur.fetchall()]


def costs_for(cur: Any, quarters: Sequence[Quarter]) -> list[ComparisonCost]:
    cur.execute(
        "SELECT row_id, upload_id, line, quarter, per_head_cost_pence, recorded_at FROM comparison_costs"
        " WHERE quarter = ANY(%s) ORDER BY recorded_at, upload_id, line",
        ([str(q) for q in quarters],),
    )
    return [ComparisonCost(r[0], r[1], r[2], Quarter.parse(r[3]), int(r[4]), r[5]) for r in cur.fetchall()]


def payable_records(cur: Any, as_of: date, known_at: datetime) -> tuple[list[Record], list[Record]]:
    """(lines, exceptions) in the ledger for `as_of` as known at `known_at`: an indexed range query."""
    cur.execute(
        "SELECT kind, record FROM ledger_lines WHERE payable @> %s::timestamptz AND on_date <= %s",
        (known_at, as_of),
    )
    lines: list[Record] = []
    exceptions: list[Record] = []
    for kind, record in cur.fetchall():
        (exceptions if kind == "X" else lines).append(record)
    return lines, exceptions


def line_record(cur: Any, outcome_id: UUID, as_of: date, known_at: datetime) -> Record | None:
    cur.execute(
        "SELECT record FROM ledger_lines WHERE outcome_id = %s AND payable @> %s::timestamptz AND on_date <= %s",
        (outcome_id, known_at, as_of),
    )
    row = cur.fetchone()
    return None if row is None else row[0]


def answer_state(cur: Any) -> tuple[bool, str, int, datetime | None]:
    """(lines_ready, generation, inputs version, newest recorded_at of any input): one read."""
    cur.execute("SELECT lines_ready, generation, version, latest_recorded_at FROM ledger_inputs")
    ready, generation, version, latest = cur.fetchone()
    return bool(ready), str(generation), int(version), latest


def lines_ready(cur: Any) -> bool:
    cur.execute("SELECT lines_ready FROM ledger_inputs")
    return bool(cur.fetchone()[0])


def mark_lines_ready(cur: Any) -> None:
    cur.execute("UPDATE ledger_inputs SET lines_ready = TRUE")


# --- the answer at (D, T), narrowed, in pages (GET /outcomes/payable) -----------------------------------

# the answer's order: the ledger's (achieved date, type, outcome id), or by amount first; `-`: descending,
# ties always in the ledger's order (the outcome id makes it total, so pages never overlap). `amount`,
# `payer_shares_json`, `patient_id` and `cohort` are columns generated from the record (reporting-0005):
# the answer's questions never read the record itself, only the page's lines do
_ORDER = {
    "achieved_on": "on_date, kind, outcome_id",
    "-achieved_on": "on_date DESC, kind, outcome_id",
    "amount": "amount, on_date, kind, outcome_id",
    "-amount": "amount DESC, on_date, kind, outcome_id",
}
SORTS = tuple(_ORDER)

# one line of the page as the API shows it (`claim_document.outcome_fields`: the same keys in the same
# order, payer shares as an object in rulebook order), built from the stored record by PostgreSQL
_LINE_JSON = (
    "json_build_object('outcome_id', record->'outcome_id', 'outcome_type', record->'outcome_type',"
    " 'patient_id', record->'patient_id', 'cohort', record->'cohort', 'measured_quarter', record->'measured_quarter',"
    " 'achieved_on', record->'achieved_on', 'amount', record->'amount', 'payer_shares', COALESCE((SELECT"
    " json_object_agg(s.share->>0, s.share->1 ORDER BY s.n) FROM jsonb_array_elements(record->'payer_shares')"
    " WITH ORDINALITY AS s(share, n)), '{}'::json), 'provider_id', record->'provider_id',"
    " 'link_worker_id', record->'link_worker_id', 'evidence', record->'evidence', 'rulebook', record->'rulebook')"
)

# the whole narrowed answer's totals, (group, key, lines, pence), over the CTE `answer` grouped first by
# what the totals tell apart (a few hundred groups at most: lines of one type and provider mostly share
# one split), so each line's payer shares are not unpacked one by one
_GROUPED = (
    "SELECT kind, provider_id, payer_shares_json, count(*) AS n, sum(amount) AS pence FROM answer GROUP BY 1, 2, 3"
)
# the groups as one JSON array, [[kind, provider_id, payer_shares_json, lines, pence], ...], summed by
# `_summed` (a few rows: cheaper to add up here than to plan three more aggregates per question)
_GROUPS_JSON = (
    "(SELECT COALESCE(json_agg(json_build_array(kind, provider_id, payer_shares_json, n, pence)), '[]')"
    " FROM groups)::text"
)


def _summed(groups_json: str) -> list[tuple[str, str, int, int]]:
    """(group, key, lines, pence) per outcome type ("outcome"), provider ("provider"; "programme" for
    none) and payer ("payer": each split's share times its lines, every payer the splits name)."""
    found: dict[tuple[str, str], list[int]] = {}
    for kind, provider_id, shares, lines, pence in json.loads(groups_json):
        n, p = int(lines), int(pence)
        for key, amount in (
            (("outcome", kind), p),
            (("provider", provider_id or "programme"), p),
            *((("payer", payer), int(share) * n) for payer, share in json.loads(shares or "[]")),
        ):
            total = found.setdefault(key, [0, 0])
            total[0] += n
            total[1] += amount
    return [(group, key, lines, pence) for (group, key), (lines, pence) in found.items()]


# a line (or a group of lines) with a share for the payer
_HAS_PAYER = (
    "EXISTS (SELECT 1 FROM jsonb_array_elements(payer_shares_json::jsonb) s"
    " WHERE s->>0 = %(payer)s AND (s->>1)::bigint <> 0)"
)


def _answer(
    as_of: date,
    known_at: datetime,
    *,
    provider_id: UUID | None = None,
    outcome_type: str | None = None,
    payer: str | None = None,
    search: str | None = None,
) -> tuple[str, dict[str, Any]]:
    """The WHERE clause of the lines in the ledger at (as_of, known_at), narrowed: to a provider, an
    outcome type, lines with a share for a payer, and part of a patient id or cohort (any case)."""
    clauses = ["payable @> %(known_at)s::timestamptz", "on_date <= %(as_of)s", "kind IN ('W', 'S')"]
    params: dict[str, Any] = {"known_at": known_at, "as_of": as_of}
    _narrow(clauses, params, "provider_id = %(provider_id)s", provider_id, outcome_type, payer)
    if search:
        clauses.append("(patient_id ILIKE %(pattern)s ESCAPE '\\' OR cohort ILIKE %(pattern)s ESCAPE '\\')")
        escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params["pattern"] = f"%{escaped}%"
    return " AND ".join(clauses), params


def _narrow(
    clauses: list[str],
    params: dict[str, Any],
    provider_clause: str,
    provider_id: UUID | None,
    outcome_type: str | None,
    payer: str | None,
) -> None:
    """The filters the lines and the kept totals share (their provider columns differ)."""
    if provider_id is not None:
        clauses.append(provider_clause)
        params["provider_id"] = provider_id
    if outcome_type is not None:
        clauses.append("kind = %(outcome_type)s")
        params["outcome_type"] = outcome_type
    if payer is not None:
        clauses.append(_HAS_PAYER)
        params["payer"] = payer


def _kept_totals(
    as_of: date,
    known_at: datetime,
    *,
    provider_id: UUID | None = None,
    outcome_type: str | None = None,
    payer: str | None = None,
) -> tuple[str, dict[str, Any]]:
    """The totals' groups, (kind, provider_id, payer_shares_json, n, pence), from `ledger_totals`
    (reporting-0007: the W/S line versions counted per achieved date, payable range, type, provider
    and split, kept by triggers with `ledger_lines`): the same groups as `_GROUPED` over the narrowed
    answer, summed over far fewer rows. A `search` cannot be answered from them (`_GROUPED` then)."""
    clauses = [
        "on_date <= %(as_of)s",
        "known_from <= %(known_at)s::timestamptz",
        "known_to > %(known_at)s::timestamptz",
    ]
    params: dict[str, Any] = {"known_at": known_at, "as_of": as_of}
    _narrow(clauses, params, "provider = %(provider_id)s::text", provider_id, outcome_type, payer)
    return (
        "SELECT kind, provider AS provider_id, payer_shares_json, sum(lines) AS n, sum(pence) AS pence"
        f" FROM ledger_totals WHERE {' AND '.join(clauses)} GROUP BY 1, 2, 3",
        params,
    )


def _groups(as_of: date, known_at: datetime, **narrowed: Any) -> tuple[str, dict[str, Any]]:
    """The CTE `groups` (what `_summed` adds up) for the narrowed answer: from `ledger_totals` unless a
    search narrows it, else (the CTE `answer` over the lines, then) `_GROUPED`."""
    if narrowed.get("search"):
        where, params = _answer(as_of, known_at, **narrowed)
        return (
            f"answer AS (SELECT kind, provider_id, amount, payer_shares_json FROM ledger_lines WHERE {where}),"
            f" groups AS MATERIALIZED ({_GROUPED})",
            params,
        )
    kept, params = _kept_totals(as_of, known_at, **{k: v for k, v in narrowed.items() if k != "search"})
    return f"groups AS MATERIALIZED ({kept})", params


def answer_totals(cur: Any, as_of: date, known_at: datetime, **narrowed: Any) -> list[tuple[str, str, int, int]]:
    """(group, key, lines, pence) over the whole narrowed answer, in one statement: per outcome type
    ("outcome"), per provider id ("provider"; "programme" for none) and per payer ("payer")."""
    groups, params = _groups(as_of, known_at, **narrowed)
    cur.execute(f"WITH {groups} SELECT {_GROUPS_JSON}", params)
    return _summed(cur.fetchone()[0])


def answer_page_json(
    cur: Any,
    as_of: date,
    known_at: datetime,
    sort: str,
    offset: int,
    limit: int,
    provider_id: UUID | None = None,
    **narrowed: Any,
) -> tuple[list[tuple[str, str, int, int]], str, str, int]:
    """The narrowed answer's totals (as `answer_totals`), one page of its lines in `sort` order as a
    JSON array (as the API shows them), the exceptions at (as_of, known_at) (a provider's only) as a
    JSON array of their records in the ledger's order, and the inputs version they were read at: in
    one statement (one snapshot).
    The totals come from `ledger_totals` (unless a search narrows the answer); the page is the
    narrowed lines in `sort` order cut to [offset, offset + limit): in the ledger's order an index
    scan that stops when the page is full (`ledger_lines_order`), otherwise a bounded top-N sort.
    The page's lines are fetched by row address after they are chosen, so only those records are
    read and rendered."""
    where, params = _answer(as_of, known_at, provider_id=provider_id, **narrowed)
    groups, totals_params = _groups(as_of, known_at, provider_id=provider_id, **narrowed)
    cur.execute(
        f"WITH {groups},"
        f" page AS (SELECT ctid AS at FROM ledger_lines WHERE {where}"
        f"   ORDER BY {_ORDER[sort]} LIMIT %(limit)s OFFSET %(offset)s)"
        f" SELECT {_GROUPS_JSON},"
        f" (SELECT COALESCE(json_agg({_LINE_JSON} ORDER BY {_ORDER[sort]}), '[]') FROM ledger_lines"
        "   WHERE ctid = ANY(ARRAY(SELECT at FROM page)))::text,"
        " (SELECT COALESCE(json_agg(record ORDER BY on_date, record->>'case_id' COLLATE \"C\","
        "   record->>'fact_id' COLLATE \"C\"), '[]') FROM ledger_lines"
        "   WHERE payable @> %(known_at)s::timestamptz AND on_date <= %(as_of)s AND kind = 'X'"
        "   AND (%(scope)s::uuid IS NULL OR provider_id = %(scope)s::uuid))::text,"
        " (SELECT version FROM ledger_inputs)",
        params | totals_params | {"limit": limit, "offset": offset, "scope": provider_id},
    )
    groups_json, lines, exceptions, version = cur.fetchone()
    return _summed(groups_json), lines, exceptions, int(version)


def answer_records(
    cur: Any, as_of: date, known_at: datetime, sort: str, batch: int = 2000, **narrowed: Any
) -> Iterator[Record]:
    """Every line record of the narrowed answer, in `sort` order, through a server-side cursor in the
    caller's transaction: `batch` rows in memory at a time, whatever the answer's size (exports)."""
    where, params = _answer(as_of, known_at, **narrowed)
    with cur.connection.cursor(name="ledger_answer") as named:
        named.itersize = batch
        named.execute(f"SELECT record FROM ledger_lines WHERE {where} ORDER BY {_ORDER[sort]}", params)
        for (record,) in named:
            yield record
